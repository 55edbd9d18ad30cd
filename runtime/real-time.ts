import { Simulation, type StopReason, Timers } from "../sim/engine/index.ts";

/** Seconds since the run started, on a monotonic clock; 0 until `start`. */
export class WallClock {
  private origin: number | undefined;

  start(): void {
    this.origin = performance.now();
  }

  now(): number {
    return this.origin === undefined ? 0 : (performance.now() - this.origin) / 1000;
  }
}

export interface RealTimeLimits {
  /** Seconds of wall time after which the run stops (the scenario's stop.time). */
  readonly horizon: number;
  /** Events after which it stops (the scenario's stop.events). */
  readonly maxEvents?: number;
  readonly onProgress?: (time: number, events: number) => void;
  /**
   * For each batch of due events the driver dispatches: how far the wall clock already is past the
   * earliest one's time (seconds). What a busy coordinator adds to every operation.
   */
  readonly onLate?: (seconds: number) => void;
}

/**
 * Drives the simulator's engine so that its virtual clock follows the wall clock: every event due by
 * now (seconds since the start) is dispatched, then the driver sleeps until the next event is due or
 * something outside the engine completes (a gradient's promise, bytes arriving), whichever is first.
 * An outside completion is delivered as an event at the wall time it happened; nothing is ever
 * dispatched before its time, so a modelled duration (a transfer through the network model) is a
 * lower bound on the real one — the network model acts as the link shaper.
 */
export class RealTime {
  readonly clock = new WallClock();
  /**
   * The engine this driver runs, built here and handed to `buildRun` by the caller (as SimPy's
   * RealtimeEnvironment is built by its user): the run is constructed on it, nothing attached later.
   */
  readonly sim: Simulation;
  readonly timers: Timers;
  private readonly inFlight = new Set<Promise<unknown>>();
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  /** `capacity`: the event queue's initial size (it grows as needed). */
  constructor(capacity = 1024) {
    this.sim = new Simulation(capacity);
    this.timers = new Timers(this.sim);
  }

  /** The engine time of something happening now: the wall time, never before the engine's clock. */
  now(): number {
    return Math.max(this.sim.now, this.clock.now());
  }

  /**
   * Runs `then` inside the engine at the current wall time. Work started from a process step uses it,
   * because the step runs at its event's time, which may already lie behind the wall clock.
   */
  atWallNow(then: () => void): void {
    const { timers } = this;
    timers.at(this.now(), { onTimer: then });
  }

  /**
   * Delivers `promise`'s value into the engine: `then(value, settledAt)` runs as an event at the wall
   * time it resolved (`settledAt`, seconds since the start). A rejection stops the run with its error.
   */
  settle<T>(promise: Promise<T>, then: (value: T, settledAt: number) => void): void {
    const tracked = promise.then(
      (value) => {
        const settledAt = this.clock.now();
        this.timers.at(Math.max(this.sim.now, settledAt), {
          onTimer: () => then(value, settledAt),
        });
      },
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => {
      this.inFlight.delete(tracked);
      this.wake?.();
    });
  }

  /** Runs the engine in real time up to the horizon, the event cap, a stop, or an error (thrown). */
  async run(limits: RealTimeLimits): Promise<StopReason> {
    const { sim } = this;
    const budget = limits.maxEvents ?? Number.POSITIVE_INFINITY;
    this.clock.start();
    for (;;) {
      const until = Math.min(this.clock.now(), limits.horizon);
      if (sim.pending > 0 && sim.nextEventTime() <= until) limits.onLate?.(until - sim.nextEventTime());
      const reason = sim.run({ until, maxEvents: budget - sim.events });
      this.throwIfFailed();
      limits.onProgress?.(sim.now, sim.events);
      if (reason === "stopped" || reason === "events") return reason;
      const idle = reason === "drained" && this.inFlight.size === 0;
      if (until >= limits.horizon) return idle ? "drained" : "time";
      if (idle) return "drained";
      const next = sim.pending > 0 ? sim.nextEventTime() : Number.POSITIVE_INFINITY;
      await this.sleepUntil(Math.min(next, limits.horizon));
    }
  }

  /** Waits for every outside completion still running (so that resources can be closed safely). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }

  /**
   * Sleeps until wall time `time` or an outside completion, whichever is first. Always yields to the
   * event loop (even when `time` has passed), so that promises and sockets get their turn.
   */
  private sleepUntil(time: number): Promise<void> {
    const ms = Math.ceil((time - this.clock.now()) * 1000);
    return new Promise((resolve) => {
      const done = () => {
        // A stale wake-up (an immediate that fires after another path woke us) must not clear the next one.
        if (this.wake === done) this.wake = undefined;
        if (handle !== undefined) clearTimeout(handle);
        resolve();
      };
      this.wake = done;
      let handle: NodeJS.Timeout | undefined;
      if (ms > 0 && Number.isFinite(ms)) handle = setTimeout(done, ms);
      else if (ms <= 0) setImmediate(done);
      // ms = +∞: nothing is due; only an outside completion can wake the driver.
    });
  }
}
