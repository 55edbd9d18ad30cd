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
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
