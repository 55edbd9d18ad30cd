import type { Timers, TimerTarget } from "../engine/index.ts";

/** A device is down on [at, at + duration); duration = Infinity means it never comes back. */
export interface DownInterval {
  readonly worker: number;
  readonly at: number;
  readonly duration: number;
}

export interface FailureListener {
  /** The device just went down: whatever it was doing is lost. */
  onDown(worker: number): void;
  /** The device is back, with its state as it was when it failed. */
  onUp(worker: number): void;
}

/**
 * Turns down intervals into timed onDown/onUp calls and answers "is this device down now?".
 * Tokens encode (interval index, edge) so one TimerTarget serves every interval without closures.
 */
export class FailureInjector implements TimerTarget {
  private readonly intervals: readonly DownInterval[];
  private readonly listener: FailureListener;
  private readonly downDepth: Int32Array;

  constructor(
    workers: number,
    intervals: readonly DownInterval[],
    timers: Timers,
    listener: FailureListener,
  ) {
    this.intervals = intervals;
    this.listener = listener;
    this.downDepth = new Int32Array(workers);
    intervals.forEach((interval, i) => {
      timers.at(interval.at, this, 2 * i);
      if (Number.isFinite(interval.duration)) timers.at(interval.at + interval.duration, this, 2 * i + 1);
    });
  }

  isDown(worker: number): boolean {
    return this.downDepth[worker]! > 0;
  }

  onTimer(token: number): void {
    const interval = this.intervals[token >> 1]!;
    const worker = interval.worker;
    if ((token & 1) === 0) {
      // Overlapping intervals nest: the device is up again only when the last one ends.
      if (this.downDepth[worker]!++ === 0) this.listener.onDown(worker);
    } else if (--this.downDepth[worker]! === 0) this.listener.onUp(worker);
  }
}
