/** Count, mean and percentiles of measured durations (seconds); zeros when nothing was measured. */
export interface DurationStats {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
}

export interface GradientStats extends DurationStats {
  readonly worker: number;
  /** What computed this worker's gradients ("cpu", "webgpu (…)", "process 4242 / …"). */
  readonly compute: string;
  /** The worker's scenario speed relative to the fastest device: below 1, the runtime slows it. */
  readonly speedRatio: number;
  /** Seconds waited on top of the real computations to emulate that slowness (and straggler episodes). */
  readonly emulatedDelay: number;
}

export interface TransferStats extends DurationStats {
  /**
   * The smallest margin, over all transfers, of the measured time over the time the network model
   * gives the message alone on its route (latency + bytes / bottleneck bandwidth): never negative,
   * since a transfer completes only once the modelled time has passed.
   */
  readonly minMarginOverModel: number;
}

/** What the runtime measured, in wall-clock seconds, next to the simulator-shaped result. */
export interface MeasuredRun {
  /** Seconds of the whole run: opening the devices, calibration, the run itself, closing. */
  readonly wallTime: number;
  readonly transport: string;
  /** Seconds per gradient of each worker measured before the run (what `meanGradientTime` reports). */
  readonly calibration: readonly number[];
  /** Real computation time of each gradient, from the call to the device's answer, per worker. */
  readonly gradients: readonly GradientStats[];
  /** Point-to-point sends, from the call until the bytes arrived and the modelled time passed. */
  readonly transfers: TransferStats;
  /** Collectives, from the last member's call until the modelled collective completed. */
  readonly collectives: DurationStats;
  /**
   * Memory-bound work the host ran for a worker (`memoryWork`: an optimizer step), from the step's
   * event time until the runtime went on: the arithmetic plus any lateness of the coordinator.
   */
  readonly hostWork: DurationStats;
  /**
   * How far behind the wall clock the driver dispatched due events (per batch, the earliest one's
   * lateness): the coordinator's own delay, added to whatever waits on it.
   */
  readonly lateness: DurationStats;
}

export function durationStats(samples: readonly number[]): DurationStats {
  if (samples.length === 0) return { count: 0, mean: 0, p50: 0, p90: 0, min: 0, max: 0 };
  const sorted = Float64Array.from(samples).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

/** Linear interpolation between closest ranks (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (position - lo);
}

/** Collects the runtime's measurements while it runs. */
export class Measurements {
  private readonly gradientTimes: number[][];
  private readonly emulated: Float64Array;
  private readonly transferTimes: number[] = [];
  private minMargin = Number.POSITIVE_INFINITY;
  private readonly collectiveTimes: number[] = [];
  private readonly hostWorkTimes: number[] = [];
  private readonly latenessTimes: number[] = [];

  constructor(workers: number) {
    this.gradientTimes = Array.from({ length: workers }, () => []);
    this.emulated = new Float64Array(workers);
  }

  gradient(worker: number, seconds: number, emulatedDelay: number): void {
    this.gradientTimes[worker]!.push(seconds);
    this.emulated[worker]! += emulatedDelay;
  }

  transfer(seconds: number, modelSeconds: number): void {
    this.transferTimes.push(seconds);
    this.minMargin = Math.min(this.minMargin, seconds - modelSeconds);
  }

  collective(seconds: number): void {
    this.collectiveTimes.push(seconds);
  }

  hostWork(seconds: number): void {
    this.hostWorkTimes.push(seconds);
  }

  late(seconds: number): void {
    this.latenessTimes.push(seconds);
  }

  summary(run: {
    wallTime: number;
    transport: string;
    computeLabels: readonly string[];
    speedRatios: readonly number[];
    calibration: readonly number[];
  }): MeasuredRun {
    const transfers = durationStats(this.transferTimes);
    return {
      wallTime: run.wallTime,
      transport: run.transport,
      calibration: run.calibration,
      gradients: this.gradientTimes.map((times, worker) => ({
        worker,
        compute: run.computeLabels[worker]!,
        speedRatio: run.speedRatios[worker]!,
        emulatedDelay: this.emulated[worker]!,
        ...durationStats(times),
      })),
      transfers: { ...transfers, minMarginOverModel: transfers.count === 0 ? 0 : this.minMargin },
      collectives: durationStats(this.collectiveTimes),
      hostWork: durationStats(this.hostWorkTimes),
      lateness: durationStats(this.latenessTimes),
    };
  }
}
