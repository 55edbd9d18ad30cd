import { describeValue, InputError } from "../sim/errors.ts";
import { ExitCode } from "./exit-codes.ts";

/**
 * A scenario file that is not well-formed YAML/JSON. Its message is compiler-style,
 * `FILE:line:col: what the parser said`, so editors can jump to it; like an InputError it is the
 * user's to fix and is printed as that one line.
 */
export class FileSyntaxError extends Error {
  override readonly name = "FileSyntaxError";
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(file: string, line: number, column: number, reason: string) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

export interface ErrorReport {
  readonly code: ExitCode;
  /** What goes to stderr, newline included. */
  readonly text: string;
}

/**
 * How a thrown error is shown. The user's mistakes get their one-line message and code 2, never a
 * stack; a machine that lacks something gets code 3; a worker process killed while it started gets
 * code 1, as one killed later does (nothing is missing from the machine: something killed it);
 * anything else is our bug: code 70, `internal error: …`, and the stack only when DTSIM_DEBUG=1 (a
 * stack is noise to a user but the first thing a developer needs). Every message line is cut to
 * MAX_LINE_CHARS: an error about a huge value must not print a huge line.
 */
export function reportError(error: unknown, debug: boolean): ErrorReport {
  if (error instanceof InputError || error instanceof FileSyntaxError) {
    return { code: ExitCode.badInput, text: `${bounded(error.message)}\n` };
  }
  if (error instanceof Error && error.name === "WorkerStartError" && wasKilled(error)) {
    return { code: ExitCode.runFailed, text: `${bounded(error.message)}\n` };
  }
  if (
    error instanceof Error &&
    ["GpuUnavailableError", "WorkerStartError", "QueueUnavailableError"].includes(error.name)
  ) {
    return { code: ExitCode.environment, text: `${bounded(error.message)}\n` };
  }
  const message = bounded(
    error instanceof Error ? error.message : typeof error === "string" ? error : describeValue(error),
  );
  if (!debug)
    return { code: ExitCode.internal, text: `internal error: ${message} (DTSIM_DEBUG=1 shows the stack)\n` };
  const stack = error instanceof Error && error.stack !== undefined ? `${error.stack}\n` : "";
  return { code: ExitCode.internal, text: `internal error: ${message}\n${stack}` };
}

/** The longest line an error message prints (the file name and the field path included). */
export const MAX_LINE_CHARS = 1000;

/** `message` with each line cut to MAX_LINE_CHARS. */
export function bounded(message: string): string {
  return message
    .split("\n")
    .map((line) => (line.length <= MAX_LINE_CHARS ? line : `${line.slice(0, MAX_LINE_CHARS - 3)}...`))
    .join("\n");
}

/**
 * Whether a worker's failed start was a signal (killed by someone, an OOM killer, a crash) rather than
 * something the machine lacks. The runtime's WorkerStartError says so in its message ("was killed by
 * SIGKILL"); a `signal` field, if the error ever carries one, is read first.
 */
function wasKilled(error: Error): boolean {
  const signal = (error as { signal?: unknown }).signal;
  if (signal !== undefined) return signal !== null;
  return /\bwas killed by SIG[A-Z0-9]+\b/.test(error.message);
}

/** Shows `error` on stderr as `reportError` words it (stack only with DTSIM_DEBUG=1); its exit code. */
export function reportFailure(error: unknown): ExitCode {
  const report = reportError(error, process.env.DTSIM_DEBUG === "1");
  process.stderr.write(report.text);
  return report.code;
}
