import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { Problem } from "../problems/problem.ts";

/** Reads worker w's current model into `out`. */
export type ModelReader = (worker: number, out: Vec) => void;

/** Whether any value of the series is NaN or infinite: the mark of a diverged training run. */
export function seriesDiverged(series: ModelSeries): boolean {
  return [series.loss, series.consensus, series.distanceToOptimum, series.accuracy].some(
    (values) => values?.some((v) => !Number.isFinite(v)) === true,
  );
}

/** Time series of the training metrics, arrays of equal length; a metric the run cannot measure is absent. */
export interface ModelSeries {
  t: number[];
  loss?: number[];
  consensus?: number[];
  distanceToOptimum?: number[];
  accuracy?: number[];
}

/**
 * Samples the state of training (CPU vectors: it reads their numbers directly): the loss (and accuracy, for classifiers) of the averaged model
 * x̄ = (1/n) Σ x_i, the consensus distance (1/n) Σ ‖x_i − x̄‖², and, where the optimum is known, the
 * mean squared distance to it (1/n) Σ ‖x_i − x*‖² (DADAO's metric). Numeric runs only; two passes over
 * the workers' models per sample (no cancellation-prone one-pass formula: consensus reaches 1e-12),
 * with x̄ and the sums in float64: a float32 x̄ summed over 300 workers is off by ~5e-7 relative, which
 * made the consensus of a converged run exceed its distance to the optimum.
 */
export class ModelSampler {
  readonly series: ModelSeries = { t: [] };
  private readonly problem: Problem;
  private readonly workers: number;
  private readonly read: ModelReader;
  private readonly mean: Vec;
  private readonly mean64: Float64Array;
  private readonly buffer: Vec;
  private readonly optimum: Float32Array | undefined;

  constructor(kernels: Kernels, problem: Problem, workers: number, read: ModelReader) {
    this.problem = problem;
    this.workers = workers;
    this.read = read;
    this.mean = kernels.alloc(problem.dimension);
    this.mean64 = new Float64Array(problem.dimension);
    this.buffer = kernels.alloc(problem.dimension);
    const optimum = problem.optimum?.(kernels);
    // The observer runs on the host in the middle of a synchronous event and only for numeric CPU
    // kernels, so it reads numbers straight from `Vec.data` (present exactly when they are real)
    // rather than through the asynchronous `Kernels.read`; a copy, since the optimum must not move.
    this.optimum = optimum?.data?.slice();
    this.series.loss = [];
    this.series.consensus = [];
    if (this.optimum !== undefined) this.series.distanceToOptimum = [];
    if (problem.accuracy !== undefined) this.series.accuracy = [];
  }

  /**
   * Takes a sample at time `t`. Returns false when a metric came out NaN or infinite: the training
   * diverged (a learning rate too large for the problem's curvature); `seriesDiverged` tells it later.
   */
  sample(t: number): boolean {
    const { mean, mean64, buffer, workers, optimum } = this;
    const x = buffer.data!;
    mean64.fill(0);
    for (let w = 0; w < workers; w++) {
      this.read(w, buffer);
      for (let i = 0; i < x.length; i++) mean64[i]! += x[i]!;
    }
    for (let i = 0; i < mean64.length; i++) mean64[i]! /= workers;
    let consensus = 0;
    let distance = 0;
    for (let w = 0; w < workers; w++) {
      this.read(w, buffer);
      for (let i = 0; i < x.length; i++) {
        const xi = x[i]!;
        consensus += (xi - mean64[i]!) ** 2;
        if (optimum !== undefined) distance += (xi - optimum[i]!) ** 2;
      }
    }
    mean.data!.set(mean64);
    this.series.t.push(t);
    this.series.loss!.push(this.problem.loss(mean));
    this.series.consensus!.push(consensus / workers);
    this.series.distanceToOptimum?.push(distance / workers);
    if (this.problem.accuracy !== undefined) this.series.accuracy!.push(this.problem.accuracy(mean));
    return (
      Number.isFinite(this.series.loss!.at(-1)!) && Number.isFinite(consensus) && Number.isFinite(distance)
    );
  }
}
