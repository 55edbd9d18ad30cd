/**
 * A problem with what the user asked for (a scenario field, a flag), as opposed to a bug. The CLI
 * prints `message` as one line and exits with the bad-input code; it never shows a stack for these.
 *
 * `path` is the dotted field path (`cluster.topology.kind`), `value` what was given, `expected` what
 * would have been accepted, in words.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  readonly path: string;
  readonly value: unknown;
  readonly expected: string;

  constructor(path: string, value: unknown, expected: string) {
    super(`${path}: got ${describeValue(value)}, expected ${expected}`);
    this.path = path;
    this.value = value;
    this.expected = expected;
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  // JSON escapes the controls below U+0020 but not the line separators: those are escaped too.
  if (typeof value === "string")
    return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029]/g, escapeChar);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  try {
    const text = JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029]/g, escapeChar);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
