import type { RandomStreams } from "../engine/random.ts";

/**
 * Synthetic per-worker data shared by the least-squares and logistic problems (the reference's §2.9:
 * DADAO uses sklearn's `make_regression` / `make_classification`, 100 samples per worker; we do not
 * copy sklearn's generators, only the set-up: per-worker datasets drawn independently).
 *
 * Generation (all draws standard normal). From the stream `(<purpose>-truth)`: a reference model
 * x_ref ∈ ℝ^d. From worker i's own stream `(<purpose>-data, i)`, in this order: a feature shift
 * u_i ∈ ℝ^d, a log-scale v_i ∈ ℝ, a model perturbation e_i ∈ ℝ^d, then for each of its m samples d
 * feature draws z_k and one noise draw ε_k. With heterogeneity h ≥ 0:
 *
 *     a_k   = exp(h·v_i/2) · z_k + h · u_i         (worker-specific feature scale and mean)
 *     x_i   = x_ref + h · e_i                      (worker-specific true model / "slope")
 *
 * h = 0 is iid: every worker draws from the same distribution (the shift, scale and perturbation draws
 * are still consumed, so h only rescales them). Worker i's data depends on (seed, i, d, m, h) and
 * never on the number of workers. The choice of shapes (normal shift, log-normal scale, additive
 * model perturbation) is ours, not the reference's.
 */
export interface WorkerData {
  /** m×d features, row-major (sample k at [k·d, (k+1)·d)). */
  readonly features: Float64Array;
  /** x_i, the worker's true model. */
  readonly model: Float64Array;
  /** m noise draws ε_k (standard normal), for the caller to turn into targets or labels. */
  readonly noise: Float64Array;
}

export function referenceModel(streams: RandomStreams, purpose: string, d: number): Float64Array {
  const rng = streams.stream(`${purpose}-truth`);
  const x = new Float64Array(d);
  for (let j = 0; j < d; j++) x[j] = rng.normal();
  return x;
}

export function workerData(
  streams: RandomStreams,
  purpose: string,
  worker: number,
  reference: Float64Array,
  samples: number,
  heterogeneity: number,
): WorkerData {
  const d = reference.length;
  const rng = streams.stream(`${purpose}-data`, worker);
  const shift = new Float64Array(d);
  for (let j = 0; j < d; j++) shift[j] = heterogeneity * rng.normal();
  const scale = Math.exp((heterogeneity * rng.normal()) / 2);
  const model = new Float64Array(d);
  for (let j = 0; j < d; j++) model[j] = reference[j]! + heterogeneity * rng.normal();
  const features = new Float64Array(samples * d);
  const noise = new Float64Array(samples);
  for (let k = 0; k < samples; k++) {
    for (let j = 0; j < d; j++) features[k * d + j] = scale * rng.normal() + shift[j]!;
    noise[k] = rng.normal();
  }
  return { features, model, noise };
}

/**
 * (1/N)·Σ_rows w_r·a_r·a_rᵀ over row-major blocks of d columns (N rows in all), with per-row weights
 * (parallel to the blocks) or all weights 1.
 */
export function gramMatrix(
  blocks: readonly Float64Array[],
  d: number,
  weights?: readonly Float64Array[],
): Float64Array {
  const gram = new Float64Array(d * d);
  let rows = 0;
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    const w = weights?.[b];
    const m = block.length / d;
    rows += m;
    for (let k = 0; k < m; k++) {
      const o = k * d;
      const wk = w === undefined ? 1 : w[k]!;
      for (let p = 0; p < d; p++) {
        const ap = wk * block[o + p]!;
        if (ap === 0) continue;
        const row = p * d;
        for (let q = p; q < d; q++) gram[row + q]! += ap * block[o + q]!;
      }
    }
  }
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      const v = gram[p * d + q]! / rows;
      gram[p * d + q] = v;
      gram[q * d + p] = v;
    }
  }
  return gram;
}
