import { InputError } from "../sim/errors.ts";
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
 * stack; anything else is our bug: code 70, `internal error: …`, and the stack only when
 * DTSIM_DEBUG=1 (a stack is noise to a user but the first thing a developer needs).
 */
export function reportError(error: unknown, debug: boolean): ErrorReport {
  if (error instanceof InputError || error instanceof FileSyntaxError) {
    return { code: ExitCode.badInput, text: `${error.message}\n` };
  }
  if (
    error instanceof Error &&
    ["GpuUnavailableError", "WorkerStartError", "QueueUnavailableError"].includes(error.name)
  ) {
    return { code: ExitCode.environment, text: `${error.message}\n` };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (!debug)
    return { code: ExitCode.internal, text: `internal error: ${message} (DTSIM_DEBUG=1 shows the stack)\n` };
  const stack = error instanceof Error && error.stack !== undefined ? `${error.stack}\n` : "";
  return { code: ExitCode.internal, text: `internal error: ${message}\n${stack}` };
}

/** Shows `error` on stderr as `reportError` words it (stack only with DTSIM_DEBUG=1); its exit code. */
export function reportFailure(error: unknown): ExitCode {
  const report = reportError(error, process.env.DTSIM_DEBUG === "1");
  process.stderr.write(report.text);
  return report.code;
}
