/**
 * How fast one device runs over time: nominal speed 1, slowed by a factor during straggler episodes.
 * A compute of `work` nominal seconds started at `t0` ends when the integral of speed reaches `work`
 * (SimGrid's speed profiles), so an episode that begins mid-compute stretches only the remaining part.
 */
export interface SlowdownEpisode {
  readonly start: number;
  readonly end: number;
  /** Duration multiplier while active: 4 means the device runs at a quarter of its speed. */
  readonly factor: number;
}

export class SpeedProfile {
  /** Breakpoints of the piecewise-constant speed: speed[k] holds on [times[k], times[k+1]). */
  private readonly times: Float64Array;
  private readonly speeds: Float64Array;

  /** Overlapping episodes multiply their factors. */
  constructor(episodes: readonly SlowdownEpisode[]) {
    const cuts = new Set<number>([0]);
    for (const e of episodes) {
      cuts.add(e.start);
      cuts.add(e.end);
    }
    const times = [...cuts].filter((t) => t >= 0).sort((a, b) => a - b);
    this.times = Float64Array.from(times);
    this.speeds = Float64Array.from(
      times.map((t) => {
        let factor = 1;
        for (const e of episodes) if (e.start <= t && t < e.end) factor *= e.factor;
        return 1 / factor;
      }),
    );
  }

  get hasEpisodes(): boolean {
    return this.times.length > 1;
  }

  speedAt(t: number): number {
    return this.speeds[this.segmentOf(t)]!;
  }

  /** End time of `work` nominal seconds of computation started at `start`. */
  finishTime(start: number, work: number): number {
    if (!this.hasEpisodes) return start + work;
    let k = this.segmentOf(start);
    let t = start;
    let remaining = work;
    for (;;) {
      const speed = this.speeds[k]!;
      const segmentEnd = k + 1 < this.times.length ? this.times[k + 1]! : Number.POSITIVE_INFINITY;
      const capacity = (segmentEnd - t) * speed;
      if (capacity >= remaining) return t + remaining / speed;
      remaining -= capacity;
      t = segmentEnd;
      k++;
    }
  }

  private segmentOf(t: number): number {
    // Binary search for the last breakpoint ≤ t.
    let lo = 0;
    let hi = this.times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.times[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
