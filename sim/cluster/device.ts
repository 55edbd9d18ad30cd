import { type Distribution, type RandomStream, sample } from "../engine/index.ts";
import { type SlowdownEpisode, SpeedProfile } from "./speed-profile.ts";

export type DurationFamily = "deterministic" | "exponential" | "lognormal" | "gamma" | "uniform";

/** What a device is made of. Rates in SI units: FLOP/s, bytes/s, bytes. */
export interface DeviceSpec {
  readonly peakFlops: number;
  /** Fraction of peak FLOP/s reached by real kernels, in (0, 1]. */
  readonly efficiency: number;
  readonly memoryBandwidth: number;
  /** Memory capacity in bytes. */
  readonly memory: number;
  /** Multiplier on speed: 0.25 makes every compute 4× longer (heterogeneity). */
  readonly speed: number;
  /** Shape of each compute's duration around its mean; exponential makes the compute clock Poisson. */
  readonly duration: DurationFamily;
  /** Coefficient of variation for lognormal and gamma; half-width over mean for uniform. */
  readonly cv: number;
  /**
   * Fixed seconds added to every gradient's compute, whatever its size: kernel launches and the
   * dispatch round trip, which dominate small problems on real devices (≈ 0.15 ms per submit on the
   * software WebGPU adapter). 0 unless a calibration profile or the file says otherwise.
   */
  readonly launchOverhead: number;
}

/**
 * One device: turns an amount of work into a duration (speed, efficiency, jitter) and a duration into
 * an end time (straggler episodes).
 */
export class Device {
  readonly id: number;
  readonly spec: DeviceSpec;
  readonly profile: SpeedProfile;

  constructor(id: number, spec: DeviceSpec, stragglers: readonly SlowdownEpisode[]) {
    this.id = id;
    this.spec = spec;
    this.profile = new SpeedProfile(stragglers);
  }

  /** Mean seconds to execute `flops` floating-point operations at nominal speed. */
  flopsTime(flops: number): number {
    return flops / (this.spec.peakFlops * this.spec.efficiency * this.spec.speed);
  }

  /**
   * The distribution of a compute whose mean on a speed-1 device is `meanSeconds`, in this device's
   * family. Build it once per kind of compute and pass it to `sampleDuration` (no allocation per draw).
   */
  computeDistribution(meanSeconds: number): Distribution {
    return durationDistribution(this.spec, this.spec.launchOverhead + meanSeconds);
  }

  /** One draw of `distribution` (from `computeDistribution`), scaled by this device's speed. */
  sampleDuration(distribution: Distribution, rng: RandomStream): number {
    return sample(distribution, rng, 1 / this.spec.speed);
  }

  /** When a compute of `duration` nominal seconds started at `start` ends, given straggler episodes. */
  finishTime(start: number, duration: number): number {
    return this.profile.finishTime(start, duration);
  }
}

export function durationDistribution(spec: Pick<DeviceSpec, "duration" | "cv">, mean: number): Distribution {
  switch (spec.duration) {
    case "deterministic":
      return { kind: "deterministic", mean };
    case "exponential":
      return { kind: "exponential", mean };
    case "lognormal":
      return { kind: "lognormal", mean, cv: spec.cv };
    case "gamma":
      return { kind: "gamma", mean, cv: spec.cv };
    case "uniform":
      return { kind: "uniform", min: mean * (1 - spec.cv), max: mean * (1 + spec.cv) };
  }
}
