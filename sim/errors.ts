/**
 * A problem with what the user asked for (a scenario field, a flag), as opposed to a bug. The CLI
 * prints `message` as one line and exits with the bad-input code; it never shows a stack for these.
 *
 * `path` is the dotted field path (`cluster.topology.kind`), `value` what was given, `expected` what
 * would have been accepted, in words.
 */
export class InputError extends Error {
  override readonly name: string = "InputError";
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

/** The longest rendering of a value in an error line: a line must stay one readable line. */
export const MAX_VALUE_CHARS = 80;

/**
 * `value` as an error line shows it: JSON-like, control and line-separator characters escaped, cut
 * to MAX_VALUE_CHARS (a two-million-digit number would otherwise make a 2 MB line).
 */
/**
 * A scenario that decodes but asks the model for more than it can hold, found only while it runs:
 * more transfers in flight than the network tracks, simulated time past float64. It is the user's to
 * change (exit 2, like any InputError); `path` names the part of the scenario to look at.
 */
export class ModelLimitError extends InputError {
  override readonly name: string = "ModelLimitError";
}

/**
 * The InputError behind `error`, following `cause` (a process wraps what its body threw, a collective
 * what its step threw), or undefined when the error is not the user's.
 */
export function inputErrorIn(error: unknown): InputError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 16; e = e.cause, depth++) {
    if (e instanceof InputError) return e;
  }
  return undefined;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  let text: string | undefined;
  try {
    // JSON escapes the controls below U+0020 but not the line separators: those are escaped too.
    text = JSON.stringify(value)?.replace(/[\u007f-\u009f\u2028\u2029]/g, escapeChar);
  } catch {
    // A cycle or a BigInt: say what it is rather than "[object Object]".
  }
  if (text === undefined)
    return typeof value === "bigint"
      ? String(value).slice(0, MAX_VALUE_CHARS)
      : typeof value === "object"
        ? "an object"
        : `a ${typeof value}`;
  if (text.length <= MAX_VALUE_CHARS) return text;
  const cut = `${text.slice(0, MAX_VALUE_CHARS - 3)}...`;
  return typeof value === "string" ? `${cut}" (${text.length - 2} characters)` : cut;
}

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
