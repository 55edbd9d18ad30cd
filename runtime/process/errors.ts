/** A worker process died (exit, signal or lost connection) while the run needed it. */
export class WorkerCrashedError extends Error {
  override readonly name = "WorkerCrashedError";
  readonly worker: number;
  /** Exit code, when it exited; null when killed by a signal or when only the connection was lost. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** `performance.now()` in the coordinator when the crash was seen (milliseconds). */
  readonly at: number;

  constructor(
    worker: number,
    code: number | null,
    signal: NodeJS.Signals | null,
    at: number,
    detail?: string,
  ) {
    const how = signal !== null ? `killed by ${signal}` : code !== null ? `exited with code ${code}` : "lost";
    super(`worker ${worker}'s process ${how}${detail === undefined ? "" : ` (${detail})`}`);
    this.worker = worker;
    this.code = code;
    this.signal = signal;
    this.at = at;
  }
}

/**
 * A request to a live worker that got no answer in time: the last resort against a hang (a worker
 * stuck in a driver, a lost frame). Timeouts are generous; a crash is reported by WorkerCrashedError.
 */
export class WorkerTimeoutError extends Error {
  override readonly name = "WorkerTimeoutError";
  readonly worker: number;

  constructor(worker: number, what: string, milliseconds: number) {
    super(`worker ${worker}: no answer to ${what} after ${milliseconds / 1000} s`);
    this.worker = worker;
  }
}

/** A worker process that did not start: it exited, failed its set-up or did not say hello in time. */
export class WorkerStartError extends Error {
  override readonly name = "WorkerStartError";
}
