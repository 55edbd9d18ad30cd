import type { EventHandler, Simulation } from "./simulation.ts";
import { type Listener, Waitable } from "./waitable.ts";

/**
 * What a process may yield: a number is a sleep of that many seconds (the zero-allocation fast path);
 * a Waitable suspends the process until it completes, and the `yield` evaluates to its value.
 */
export type Yieldable = number | Waitable<unknown>;

export type ProcessBody<R = void> = Generator<Yieldable, R, unknown>;

/** Thrown into a process at its current `yield` by `interrupt()`: a failure, a cancellation. */
export class Interrupt extends Error {
  override readonly name = "Interrupt";
  override readonly cause: unknown;

  constructor(cause: unknown) {
    super(`interrupted: ${String(cause)}`);
    this.cause = cause;
  }
}

/**
 * A running generator. A process is itself waitable (join): it succeeds with the generator's return
 * value, or fails with what it threw. An uncaught `Interrupt` ends the process quietly (it was
 * killed); any other uncaught error is a bug in the schedule and stops the simulation.
 */
export class Process<R = void> extends Waitable<R> implements Listener {
  readonly id: number;
  readonly name: string;
  /** Bumped whenever a pending resumption must be ignored (interrupt). */
  version = 0;
  /** What the process is blocked on, if it yielded a Waitable. */
  waitingOn: Waitable<unknown> | undefined = undefined;
  /** Value (or error, when `throwing`) delivered at the next resumption. */
  nextValue: unknown = undefined;
  throwing = false;
  /** The waitable whose outcome the pending resumption carries, until the process runs. */
  private delivering: Waitable<unknown> | undefined = undefined;
  private readonly body: ProcessBody<R>;
  private readonly scheduler: Processes;

  constructor(id: number, name: string, body: ProcessBody<R>, scheduler: Processes) {
    super();
    this.id = id;
    this.name = name;
    this.body = body;
    this.scheduler = scheduler;
  }

  notify(source: Waitable<unknown>): void {
    this.waitingOn = undefined;
    this.delivering = source;
    if (source.state === "failed") {
      this.nextValue = source.error;
      this.throwing = true;
    } else {
      this.nextValue = source.value;
      this.throwing = false;
    }
    this.scheduler.resumeNow(this);
  }

  /** Throws `Interrupt(cause)` into the process at its current yield, now. No-op once finished. */
  interrupt(cause: unknown): void {
    if (this.done) return;
    if (this.waitingOn !== undefined) {
      this.waitingOn.unsubscribe(this);
      this.waitingOn = undefined;
    }
    // Woken but not yet run: the value it was about to receive (a mailbox item, say) is dropped unused.
    if (this.delivering !== undefined) {
      const source = this.delivering;
      this.delivering = undefined;
      source.unsubscribe(this);
    }
    this.version = (this.version + 1) | 0;
    this.nextValue = new Interrupt(cause);
    this.throwing = true;
    this.scheduler.resumeNow(this);
  }

  /** Runs the generator up to its next yield. Called by the scheduler only. */
  step(): void {
    this.delivering = undefined;
    let result: IteratorResult<Yieldable, R>;
    try {
      if (this.throwing) {
        this.throwing = false;
        const error = this.nextValue;
        this.nextValue = undefined;
        result = this.body.throw(error);
      } else {
        const value = this.nextValue;
        this.nextValue = undefined;
        result = this.body.next(value);
      }
    } catch (error) {
      this.scheduler.finished(this);
      if (error instanceof Interrupt) {
        this.reject(error);
        return;
      }
      throw new ProcessError(this.name, error);
    }
    if (result.done === true) {
      this.scheduler.finished(this);
      this.resolve(result.value);
      return;
    }
    const yielded = result.value;
    if (this.throwing) {
      // It interrupted itself during this step: the Interrupt, already scheduled, answers this yield;
      // what it yielded is dropped (a pending get leaves its mailbox, a taken item goes back).
      if (typeof yielded !== "number") yielded.unsubscribe(this);
      return;
    }
    if (typeof yielded === "number") {
      this.scheduler.resumeAfter(this, yielded);
    } else {
      this.waitingOn = yielded;
      yielded.subscribe(this);
    }
  }
}

/** An error thrown by a process that nobody could handle: a bug, reported with the process name. */
export class ProcessError extends Error {
  override readonly name = "ProcessError";
  readonly processName: string;
  readonly original: unknown;

  constructor(processName: string, original: unknown) {
    super(
      `process ${processName} failed: ${original instanceof Error ? original.message : String(original)}`,
      {
        cause: original,
      },
    );
    this.processName = processName;
    this.original = original;
  }
}

/** The engine module that runs processes: one event kind, "resume process a if its version is b". */
export class Processes implements EventHandler {
  private readonly sim: Simulation;
  private readonly kind: number;
  private readonly live: (Process<unknown> | undefined)[] = [];
  private readonly freeIds: number[] = [];
  // A reused id continues its predecessor's version, so a stale event for the old process can
  // never match the new one.
  private readonly slotVersions: number[] = [];

  constructor(sim: Simulation) {
    this.sim = sim;
    this.kind = sim.registerKind("resume", this);
  }

  /** Starts `body` as a process; its first step runs at the current time, after already-due events. */
  spawn<R>(name: string, body: ProcessBody<R>): Process<R> {
    const id = this.freeIds.length > 0 ? this.freeIds.pop()! : this.live.length;
    const process = new Process<R>(id, name, body, this);
    process.version = this.slotVersions[id] ?? 0;
    this.live[id] = process as Process<unknown>;
    this.resumeNow(process);
    return process;
  }

  get running(): number {
    return this.live.length - this.freeIds.length;
  }

  resumeNow(process: Process<unknown>): void {
    this.sim.at(this.sim.now, this.kind, process.id, process.version);
  }

  resumeAfter(process: Process<unknown>, delay: number): void {
    if (!(delay >= 0)) {
      throw new ProcessError(process.name, new RangeError(`yielded a sleep of ${delay} s; expected ≥ 0`));
    }
    this.sim.at(this.sim.now + delay, this.kind, process.id, process.version);
  }

  finished(process: Process<unknown>): void {
    process.version = (process.version + 1) | 0;
    this.slotVersions[process.id] = process.version;
    this.live[process.id] = undefined;
    this.freeIds.push(process.id);
  }

  handle(_kind: number, id: number, version: number): void {
    const process = this.live[id];
    if (process === undefined || process.version !== version) return;
    process.step();
  }
}
