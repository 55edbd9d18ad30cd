import { WorkerTimeoutError } from "./errors.ts";

interface Entry<T> {
  readonly worker: number;
  /** Other workers whose loss fails the request too (a transfer's source and destination). */
  readonly involves: readonly number[];
  readonly resolve: (value: T) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Requests sent to worker processes and not yet answered, by id. Each has a timer (the last resort
 * against a hang) and settles exactly once: by its answer, by its timer, or by the crash of a worker
 * it involves.
 */
export class PendingRequests<T> {
  private readonly entries = new Map<number, Entry<T>>();
  /**
   * Requests settled without their answer (a timeout, a crash, the cluster closing): their answer may
   * still come, and is then dropped quietly rather than reported as unexpected.
   */
  private readonly abandoned = new Set<number>();
  private nextId = 1;
  private readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Registers a request to `worker` (and `involves`); `send(id)` writes it. */
  add(worker: number, what: string, involves: readonly number[], send: (id: number) => void): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.entries.delete(id);
        this.abandoned.add(id);
        reject(new WorkerTimeoutError(worker, what, this.timeoutMs));
      }, this.timeoutMs);
      // A pending request must not keep the coordinator alive on its own.
      timer.unref();
      this.entries.set(id, { worker, involves, resolve, reject, timer });
      send(id);
    });
  }

  /**
   * Settles request `id` with an answer from worker `from`; false when no such request waits for an
   * answer from that worker (a forged or confused answer: the caller reports it, nothing is settled).
   */
  resolveFrom(from: number, id: number, value: T): boolean {
    const entry = this.take(id, from);
    entry?.resolve(value);
    return entry !== undefined || this.abandoned.delete(id);
  }

  /** As `resolveFrom`, with a failure. */
  rejectFrom(from: number, id: number, error: Error): boolean {
    const entry = this.take(id, from);
    entry?.reject(error);
    return entry !== undefined || this.abandoned.delete(id);
  }

  /** Whether request `id` waits for an answer from worker `from` (its answer may be deferred). */
  waitsFor(from: number, id: number): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined) return this.abandoned.has(id);
    return entry.worker === from || entry.involves.includes(from);
  }

  /** Fails request `id` without its answer (which may still come, and is then dropped). */
  reject(id: number, error: Error): void {
    const entry = this.take(id);
    if (entry !== undefined) this.abandoned.add(id);
    entry?.reject(error);
  }

  /** Rejects every request that involves `worker` with `error(worker)`. */
  rejectInvolving(worker: number, error: Error): void {
    for (const [id, entry] of this.entries) {
      if (entry.worker === worker || entry.involves.includes(worker)) this.reject(id, error);
    }
  }

  /** Removes request `id`; only when `from` (if given) is a worker it involves. */
  private take(id: number, from?: number): Entry<T> | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (from !== undefined && entry.worker !== from && !entry.involves.includes(from)) return undefined;
    this.entries.delete(id);
    clearTimeout(entry.timer);
    return entry;
  }
}
