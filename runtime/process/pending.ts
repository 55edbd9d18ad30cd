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
        reject(new WorkerTimeoutError(worker, what, this.timeoutMs));
      }, this.timeoutMs);
      // A pending request must not keep the coordinator alive on its own.
      timer.unref();
      this.entries.set(id, { worker, involves, resolve, reject, timer });
      send(id);
    });
  }

  resolve(id: number, value: T): void {
    const entry = this.take(id);
    entry?.resolve(value);
  }

  reject(id: number, error: Error): void {
    const entry = this.take(id);
    entry?.reject(error);
  }

  /** Rejects every request that involves `worker` with `error(worker)`. */
  rejectInvolving(worker: number, error: Error): void {
    for (const [id, entry] of this.entries) {
      if (entry.worker === worker || entry.involves.includes(worker)) this.reject(id, error);
    }
  }

  private take(id: number): Entry<T> | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    this.entries.delete(id);
    clearTimeout(entry.timer);
    return entry;
  }
}
