/**
 * Something a process can wait for (SimPy's Event, SimGrid's Activity): it completes once, with a
 * value or an error, and tells its listeners synchronously. Processes listen by scheduling their own
 * resumption, so the order of wake-ups is the engine's (time, sequence) order, never the call stack's.
 */
export interface Listener {
  notify(source: Waitable<unknown>): void;
}

export type WaitState = "pending" | "succeeded" | "failed";

export class Waitable<T> {
  state: WaitState = "pending";
  value: T | undefined = undefined;
  error: unknown = undefined;
  // One listener is by far the common case: keep it unboxed, and use an array only for more.
  private single: Listener | undefined = undefined;
  private many: Listener[] | undefined = undefined;

  get done(): boolean {
    return this.state !== "pending";
  }

  /** Registers `listener`; if already complete it is notified at once. */
  subscribe(listener: Listener): void {
    if (this.state !== "pending") {
      listener.notify(this);
      return;
    }
    if (this.single === undefined && this.many === undefined) this.single = listener;
    else {
      if (this.many === undefined) {
        this.many = [this.single!];
        this.single = undefined;
      }
      this.many.push(listener);
    }
  }

  /**
   * Removes `listener`. When nobody listens any more to a pending waitable, `abandoned()` runs. On a
   * succeeded waitable it means the listener drops the value without using it: `unclaimed()` runs.
   */
  unsubscribe(listener: Listener): void {
    if (this.state === "succeeded") {
      this.unclaimed();
      return;
    }
    if (this.single === listener) this.single = undefined;
    else if (this.many !== undefined) {
      const i = this.many.indexOf(listener);
      if (i >= 0) this.many.splice(i, 1);
      if (this.many.length === 0) this.many = undefined;
    }
    if (this.state === "pending" && this.single === undefined && this.many === undefined) this.abandoned();
  }

  /** Hook for waitables that hold a resource on behalf of their waiter (a mailbox get, say). */
  protected abandoned(): void {}

  /** Hook for waitables whose value is a resource (a mailbox item): its listener dropped it unused. */
  protected unclaimed(): void {}

  protected resolve(value: T): void {
    if (this.state !== "pending") throw new Error("waitable completed twice");
    this.state = "succeeded";
    this.value = value;
    this.notifyAll();
  }

  protected reject(error: unknown): void {
    if (this.state !== "pending") throw new Error("waitable completed twice");
    this.state = "failed";
    this.error = error;
    this.notifyAll();
  }

  private notifyAll(): void {
    const single = this.single;
    const many = this.many;
    this.single = undefined;
    this.many = undefined;
    if (single !== undefined) single.notify(this);
    if (many !== undefined) for (const listener of many) listener.notify(this);
  }

  /** `const v = yield* w` waits for `w` with its value typed; plain `yield w` is cheaper but untyped. */
  *[Symbol.iterator](): Generator<Waitable<T>, T, unknown> {
    return (yield this) as T;
  }
}

/** A one-shot event that code completes by hand. */
export class Signal<T = void> extends Waitable<T> {
  succeed(value: T): void {
    this.resolve(value);
  }

  fail(error: unknown): void {
    this.reject(error);
  }
}
