import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { RandomStream } from "../engine/random.ts";

/**
 * A training objective distributed over workers: f(x) = (1/n) Σ_i f_i(x), worker i holding its own
 * shard of data. Problems give schedules what they need and nothing more: the parameter count, the
 * cost of a gradient (FLOPs, for the cost model), stochastic gradients (numeric runs), and the metrics
 * (loss of a model, distance to the optimum where it is known, accuracy for classifiers).
 *
 * Shape-only problems (model presets) have no data: `numeric` is false and only sizes and costs exist.
 */
export interface Problem {
  readonly name: string;
  /** Number of parameters d. */
  readonly dimension: number;
  /** Bytes per parameter on the wire and in memory (4 for fp32, 2 for bf16 presets). */
  readonly bytesPerValue: number;
  /** FLOPs of one forward + backward pass over one sample. */
  readonly flopsPerSample: number;
  /** Samples in one stochastic gradient (a micro-batch). */
  readonly batchSize: number;
  readonly workers: number;
  readonly numeric: boolean;
  /** Strong convexity and smoothness constants, where the problem is convex and they are computed. */
  readonly mu?: number;
  readonly L?: number;
  /**
   * The worst case over the local objectives f_i: min_i μ_i and max_i L_i. DADAO's code sets its
   * step sizes from these (`compute_regularity_constants`); with heterogeneous shards they can be far
   * from the global μ and L, and the global ones then make DADAO diverge.
   */
  readonly localMu?: number;
  readonly localL?: number;

  /** Initial parameters, the same on every worker. */
  initialParameters(kernels: Kernels): Vec;
  /**
   * Writes into `g` a stochastic gradient of worker `worker`'s local objective at `x` (a mini-batch
   * drawn with `rng`; the full local gradient when batchSize covers the shard) and returns the
   * mini-batch loss. No-op returning NaN on shape-only problems.
   */
  gradient(worker: number, x: Vec, g: Vec, rng: RandomStream): number;
  /**
   * The first half of `gradient`, for backends that compute gradients elsewhere (a GPU, another
   * process): draws from `rng` exactly the samples `gradient` would draw (`samples`, default
   * `batchSize`), as indices into worker `worker`'s shard, in order, repeats allowed. Undefined means
   * the full local objective (samples ≥ the shard's size), and then nothing is drawn.
   */
  sampleBatch?(worker: number, rng: RandomStream, samples?: number): Int32Array | undefined;
  /**
   * The second half: writes into `g` the gradient of worker `worker`'s objective at `x` over `batch`
   * (from `sampleBatch`; undefined = the full local objective) and returns the mini-batch loss.
   * `gradient(w, x, g, rng)` ≡ `gradientOnBatch(w, x.data, sampleBatch(w, rng), g.data)`, bit for bit.
   */
  gradientOnBatch?(worker: number, x: Float32Array, batch: Int32Array | undefined, g: Float32Array): number;
  /** Full objective f(x) over all workers' data (NaN when not numeric). */
  loss(x: Vec): number;
  /** Classification accuracy of x on held-out data, where it applies. */
  accuracy?(x: Vec): number;
  /** The minimiser x*, where it is known. */
  optimum?(kernels: Kernels): Vec;
}

/**
 * `samples` indices drawn uniformly with replacement from a shard of `shardSize` (`rng.int` once per
 * sample, in order), or undefined — drawing nothing — when `samples` covers the shard.
 */
export function sampleWithReplacement(
  shardSize: number,
  rng: RandomStream,
  samples: number,
): Int32Array | undefined {
  if (samples >= shardSize) return undefined;
  const batch = new Int32Array(samples);
  for (let s = 0; s < samples; s++) batch[s] = rng.int(shardSize);
  return batch;
}
