/**
 * Exit codes of dtsim. 2 is the conventional "usage / bad input" code; 70 is EX_SOFTWARE from
 * sysexits.h, "an internal software error", so that scripts can tell our bugs from their mistakes.
 */
export const ExitCode = {
  ok: 0,
  /** The run completed but something about it failed (reserved; unused for now). */
  runFailed: 1,
  /** Bad input: a scenario field, a flag, a file that cannot be read or parsed. */
  badInput: 2,
  /** The machine lacks something the command needs (no WebGPU adapter): install it, or pick another backend. */
  environment: 3,
  /** A bug in dtsim. */
  internal: 70,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
