import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { RandomStream } from "../engine/random.ts";
import { type Problem, sampleWithReplacement } from "./problem.ts";

/**
 * What the least-squares and logistic problems share: per-worker data (m samples a_k ∈ ℝ^d with a
 * target t_k each), a per-sample loss φ(a_kᵀx, t_k), and an ℓ2 term:
 *
 *     f_i(x) = (1/m) Σ_k φ(a_kᵀx, t_k) + (λ/2)‖x‖²,     f = (1/n) Σ_i f_i.
 *
 * Stochastic gradients average `batchSize` samples drawn uniformly with replacement from the worker's
 * shard (`rng.int(m)` once per sample, in order); with batchSize ≥ m the full local gradient, in sample
 * order, without drawing. Arithmetic is float64; results are written into the float32 `g`.
 *
 * Float64 helpers (`objective64`, `gradient64`) take any array of numbers: tests and x* computations
 * use them to avoid float32 rounding of the parameters.
 */
export abstract class LinearModelProblem implements Problem {
  abstract readonly name: string;
  readonly dimension: number;
  readonly bytesPerValue = 4;
  /**
   * ≈ 4d: the forward product aᵀx (2d) and the gradient update c·a (2d) per sample. A linear model has
   * no input gradient, hence 4d rather than the 6·params of a network. [our count, not the reference's]
   */
  readonly flopsPerSample: number;
  readonly batchSize: number;
  readonly workers: number;
  readonly numeric = true;
  abstract readonly mu: number;
  abstract readonly L: number;
  /** ℓ2 coefficient λ. */
  readonly l2: number;
  readonly samplesPerWorker: number;
  /** Worker i's features, m×d row-major. */
  readonly features: readonly Float64Array[];
  /** Worker i's targets (regression values, or labels ±1). */
  readonly targets: readonly Float64Array[];
  private readonly accumulator: Float64Array;

  constructor(
    dimension: number,
    workers: number,
    samplesPerWorker: number,
    batchSize: number,
    l2: number,
    features: readonly Float64Array[],
    targets: readonly Float64Array[],
  ) {
    this.dimension = dimension;
    this.workers = workers;
    this.samplesPerWorker = samplesPerWorker;
    this.batchSize = batchSize;
    this.l2 = l2;
    this.features = features;
    this.targets = targets;
    this.flopsPerSample = 4 * dimension;
    this.accumulator = new Float64Array(dimension);
  }

  /** φ(z, t), the loss of one sample with prediction z = aᵀx and target t. */
  protected abstract sampleLoss(z: number, t: number): number;
  /** ∂φ/∂z at (z, t). */
  protected abstract sampleSlope(z: number, t: number): number;

  /** x⁰ = 0 on every worker (DADAO starts from zero too). */
  initialParameters(kernels: Kernels): Vec {
    const x = kernels.alloc(this.dimension);
    kernels.fill(x, 0);
    return x;
  }

  gradient(worker: number, x: Vec, g: Vec, rng: RandomStream): number {
    const xd = x.data;
    const gd = g.data;
    if (xd === undefined || gd === undefined) return Number.NaN;
    return this.gradientOnBatch(worker, xd, this.sampleBatch(worker, rng), gd);
  }

  sampleBatch(worker: number, rng: RandomStream, samples = this.batchSize): Int32Array | undefined {
    return sampleWithReplacement(this.targets[worker]!.length, rng, samples);
  }

  gradientOnBatch(worker: number, x: Float32Array, batch: Int32Array | undefined, g: Float32Array): number {
    return this.batchGradient(worker, x, g, batch);
  }

  loss(x: Vec): number {
    const xd = x.data;
    return xd === undefined ? Number.NaN : this.objective64(xd);
  }

  /** f(x) in float64. */
  objective64(x: ArrayLike<number>): number {
    const d = this.dimension;
    let sum = 0;
    let count = 0;
    for (let w = 0; w < this.workers; w++) {
      const a = this.features[w]!;
      const t = this.targets[w]!;
      for (let k = 0; k < t.length; k++) {
        let z = 0;
        const o = k * d;
        for (let j = 0; j < d; j++) z += a[o + j]! * x[j]!;
        sum += this.sampleLoss(z, t[k]!);
      }
      count += t.length;
    }
    return sum / count + this.ridge(x);
  }

  /** ∇f(x) (all workers, full batches) into `out`, in float64; returns f(x). */
  gradient64(x: ArrayLike<number>, out: Float64Array): number {
    out.fill(0);
    let loss = 0;
    for (let w = 0; w < this.workers; w++) loss += this.localGradient(w, x, out, undefined, true);
    for (let j = 0; j < this.dimension; j++) out[j] = out[j]! / this.workers;
    return loss / this.workers;
  }

  /**
   * Worker `worker`'s mini-batch gradient at x into `out` (full local gradient when `rng` is undefined
   * or batchSize ≥ m); returns the mini-batch loss, ℓ2 term included. With `add`, the gradient is
   * added to `out` instead of written over it.
   */
  localGradient(
    worker: number,
    x: ArrayLike<number>,
    out: Float64Array | Float32Array,
    rng: RandomStream | undefined,
    add = false,
  ): number {
    const batch = rng === undefined ? undefined : this.sampleBatch(worker, rng);
    return this.batchGradient(worker, x, out, batch, add);
  }

  /**
   * The gradient over shard samples `batch` (undefined: all m, in order) into `out` (added with
   * `add`); returns their mean loss plus the ℓ2 term.
   */
  batchGradient(
    worker: number,
    x: ArrayLike<number>,
    out: Float64Array | Float32Array,
    batch: Int32Array | undefined,
    add = false,
  ): number {
    const d = this.dimension;
    const a = this.features[worker]!;
    const t = this.targets[worker]!;
    const b = batch === undefined ? t.length : batch.length;
    const acc = this.accumulator;
    acc.fill(0);
    let loss = 0;
    for (let s = 0; s < b; s++) {
      const k = batch === undefined ? s : batch[s]!;
      const o = k * d;
      let z = 0;
      for (let j = 0; j < d; j++) z += a[o + j]! * x[j]!;
      const tk = t[k]!;
      loss += this.sampleLoss(z, tk);
      const c = this.sampleSlope(z, tk);
      if (c !== 0) for (let j = 0; j < d; j++) acc[j]! += c * a[o + j]!;
    }
    const l2 = this.l2;
    if (add) {
      for (let j = 0; j < d; j++) out[j]! += acc[j]! / b + l2 * x[j]!;
    } else {
      for (let j = 0; j < d; j++) out[j] = acc[j]! / b + l2 * x[j]!;
    }
    return loss / b + this.ridge(x);
  }

  private ridge(x: ArrayLike<number>): number {
    if (this.l2 === 0) return 0;
    let s = 0;
    for (let j = 0; j < this.dimension; j++) s += x[j]! * x[j]!;
    return (this.l2 / 2) * s;
  }
}
