import { EventQueue } from "./event-queue.ts";

/**
 * Receives the events of the kinds it registered. `a` and `b` are the integer payload slots given at
 * scheduling time. Each module (processes, timers, network models…) owns a few kinds and dispatches
 * among them with a `switch`; the engine itself knows nothing of what the kinds mean, which keeps
 * `engine/` free of any cluster or algorithm concept.
 */
export interface EventHandler {
  handle(kind: number, a: number, b: number): void;
}

/** Observer of every dispatched event, for traces and determinism checks. Off the hot path when unset. */
export type EventObserver = (time: number, kind: number, a: number, b: number) => void;

export class SchedulingError extends Error {
  override readonly name: string = "SchedulingError";
}

/**
 * An event due at +Infinity: the durations being added grew past float64 (the scenario's quantities,
 * not the engine, are at fault; the run reports it as such). `time` is the time asked for.
 */
export class TimeOverflowError extends SchedulingError {
  override readonly name: string = "TimeOverflowError";
  readonly kindName: string;
  readonly now: number;

  constructor(kindName: string, now: number) {
    super(`cannot schedule ${kindName} at t=Infinity: simulated time overflowed float64 (now ${now})`);
    this.kindName = kindName;
    this.now = now;
  }
}

export interface RunLimits {
  /** Stop before dispatching any event later than this simulated time (seconds). */
  readonly until?: number;
  /** Stop after dispatching this many events in this call. */
  readonly maxEvents?: number;
}

export type StopReason = "drained" | "time" | "events" | "stopped";

/**
 * The discrete-event core: a virtual clock (float64 seconds, never decreasing), the event queue, and
 * the table of handlers by event kind. Like SimPy's Environment, without the per-event objects.
 */
export class Simulation {
  /** Current simulated time in seconds. */
  now = 0;
  /** Events dispatched since creation. */
  events = 0;
  private readonly queue: EventQueue;
  private readonly handlers: EventHandler[] = [];
  private readonly kindNames: string[] = [];
  private observer: EventObserver | undefined;
  private stopRequested = false;

  constructor(initialQueueCapacity = 1024) {
    this.queue = new EventQueue(initialQueueCapacity);
  }

  /** Reserves a new event kind delivered to `handler`. `name` appears in traces and errors. */
  registerKind(name: string, handler: EventHandler): number {
    this.kindNames.push(name);
    return this.handlers.push(handler) - 1;
  }

  kindName(kind: number): string {
    return this.kindNames[kind] ?? `kind#${kind}`;
  }

  /** Schedules an event at absolute time `time`. Throws if `time` is before `now`, infinite or not a number. */
  at(time: number, kind: number, a = 0, b = 0): void {
    if (time === Number.POSITIVE_INFINITY) throw new TimeOverflowError(this.kindName(kind), this.now);
    // One comparison covers NaN too: NaN >= now is false.
    if (!(time >= this.now)) {
      throw new SchedulingError(
        `cannot schedule ${this.kindName(kind)} at t=${time}: simulated time is already ${this.now}`,
      );
    }
    this.queue.push(time, kind, a, b);
  }

  /** Schedules an event `delay` seconds from now (delay ≥ 0). */
  after(delay: number, kind: number, a = 0, b = 0): void {
    this.at(this.now + delay, kind, a, b);
  }

  get pending(): number {
    return this.queue.size;
  }

  nextEventTime(): number {
    return this.queue.peekTime();
  }

  observe(observer: EventObserver | undefined): void {
    this.observer = observer;
  }

  /** Makes the current `run` return after the event being dispatched. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Dispatches events in (time, sequence) order until the queue drains, the next event lies beyond
   * `until`, `maxEvents` were dispatched, or a handler called `stop()`. When stopped by `until`, the
   * clock is advanced to `until` (an idle interval is still simulated time).
   */
  run(limits: RunLimits = {}): StopReason {
    const until = limits.until ?? Number.POSITIVE_INFINITY;
    const maxEvents = limits.maxEvents ?? Number.POSITIVE_INFINITY;
    const queue = this.queue;
    const handlers = this.handlers;
    this.stopRequested = false;
    let dispatched = 0;
    for (;;) {
      if (queue.size === 0) return "drained";
      if (queue.peekTime() > until) {
        if (until > this.now && until !== Number.POSITIVE_INFINITY) this.now = until;
        return "time";
      }
      if (dispatched >= maxEvents) return "events";
      queue.pop();
      const kind = queue.topKind;
      this.now = queue.topTime;
      dispatched++;
      this.events++;
      if (this.observer !== undefined) this.observer(this.now, kind, queue.topA, queue.topB);
      handlers[kind]!.handle(kind, queue.topA, queue.topB);
      if (this.stopRequested) return "stopped";
    }
  }
}
