import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { RandomStreams } from "../engine/random.ts";
import { choleskySolve, symmetricEigenvalues } from "./linalg.ts";
import { LinearModelProblem } from "./linear-model.ts";
import { once } from "./once.ts";
import { gramMatrix, referenceModel, workerData } from "./synthetic.ts";

export interface LogisticOptions {
  readonly dimension: number;
  readonly samplesPerWorker: number;
  /** Samples per stochastic gradient; ≥ samplesPerWorker gives the full local gradient. */
  readonly batchSize: number;
  /** σ of the label noise added to the margin before taking its sign (0: linearly separable). */
  readonly noise: number;
  /** h ≥ 0: 0 for iid shards; see `synthetic.ts`. */
  readonly heterogeneity: number;
  /** λ > 0 (DADAO's code uses μ = λ = 1, reference §2.9). */
  readonly l2: number;
}

/** log(1 + e^z) without overflow or cancellation. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** 1/(1 + e^{−z}) without overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * ℓ2-regularised logistic regression over per-worker synthetic data (DADAO's second problem,
 * reference §2.9), labels y ∈ {−1, +1}:
 *
 *     f_i(x) = (1/m) Σ_k log(1 + exp(−y_k a_kᵀx)) + (λ/2)‖x‖²,
 *     y_k = sign(a_kᵀx_i/√d + σ·ε_k)        (+1 on a tie; x_i, a_k from `workerData`)
 *
 * ("separable-ish": with σ = 0 the labels are a linear function's sign; the 1/√d keeps the clean
 * margin of unit scale whatever d). Streams "logistic-truth" and ("logistic-data", i).
 *
 * Constants: μ = λ, L = λ + ¼·λ_max((1/(nm)) AᵀA) (σ' ≤ ¼). These bound the Hessian everywhere; μ is
 * its infimum (approached as ‖x‖ → ∞), not its minimum at x*. x* by damped Newton from 0, to
 * ‖∇f(x*)‖ ≤ 1e-10 (float64). L and x* are computed on first use: a worker process never needs them.
 */
export class LogisticProblem extends LinearModelProblem {
  readonly name = "logistic";
  readonly mu: number;
  readonly localMu: number;
  /** L, the local L and x*, computed on first use (once.ts). */
  private readonly smoothness: () => { L: number; localL: number };
  private readonly solution: () => { x: Float64Array; iterations: number };

  constructor(options: LogisticOptions, workers: number, streams: RandomStreams) {
    const { dimension: d, samplesPerWorker: m, noise, heterogeneity, l2 } = options;
    if (!(l2 > 0)) throw new RangeError(`logistic regression needs l2 > 0, got ${l2}`);
    const reference = referenceModel(streams, "logistic", d);
    const features: Float64Array[] = [];
    const targets: Float64Array[] = [];
    const norm = 1 / Math.sqrt(d);
    for (let w = 0; w < workers; w++) {
      const data = workerData(streams, "logistic", w, reference, m, heterogeneity);
      const y = new Float64Array(m);
      for (let k = 0; k < m; k++) {
        let z = 0;
        for (let j = 0; j < d; j++) z += data.features[k * d + j]! * data.model[j]!;
        y[k] = z * norm + noise * data.noise[k]! >= 0 ? 1 : -1;
      }
      features.push(data.features);
      targets.push(y);
    }
    super(d, workers, m, options.batchSize, l2, features, targets);

    this.mu = l2;
    // Each f_i is λ-strongly convex and (λ + ¼ λ_max((1/m) A_iᵀA_i))-smooth.
    this.localMu = l2;
    const largest = (a: readonly Float64Array[]) =>
      Math.max(0, symmetricEigenvalues(gramMatrix(a, d), d)[d - 1]!);
    this.smoothness = once(() => ({
      L: l2 + 0.25 * largest(features),
      localL: l2 + 0.25 * Math.max(...features.map((a) => largest([a]))),
    }));
    this.solution = once(() => this.newton());
  }

  get L(): number {
    return this.smoothness().L;
  }
  get localL(): number {
    return this.smoothness().localL;
  }
  get xStar(): Float64Array {
    return this.solution().x;
  }
  /** Newton iterations it took to reach x*. */
  get newtonIterations(): number {
    return this.solution().iterations;
  }

  protected sampleLoss(z: number, y: number): number {
    return softplus(-y * z);
  }

  protected sampleSlope(z: number, y: number): number {
    return -y * sigmoid(-y * z);
  }

  optimum(kernels: Kernels): Vec {
    return kernels.fromArray(this.xStar);
  }

  /** Damped Newton (Armijo backtracking, slack for float64 noise in f) to ‖∇f‖ ≤ 1e-10. */
  private newton(): { x: Float64Array; iterations: number } {
    const d = this.dimension;
    const x = new Float64Array(d);
    const g = new Float64Array(d);
    const trial = new Float64Array(d);
    const weights = this.targets.map((t) => new Float64Array(t.length));
    let f = this.gradient64(x, g);
    for (let iteration = 0; iteration < 200; iteration++) {
      let gnorm = 0;
      for (let j = 0; j < d; j++) gnorm += g[j]! * g[j]!;
      if (Math.sqrt(gnorm) <= 1e-10) return { x, iterations: iteration };
      // Hessian: (1/(nm)) Σ σ'(z) a aᵀ + λI, with σ'(z) = σ(z)(1 − σ(z)) at z = a·x.
      for (let w = 0; w < this.workers; w++) {
        const a = this.features[w]!;
        const wt = weights[w]!;
        for (let k = 0; k < wt.length; k++) {
          let z = 0;
          for (let j = 0; j < d; j++) z += a[k * d + j]! * x[j]!;
          const s = sigmoid(z);
          wt[k] = s * (1 - s);
        }
      }
      const hessian = gramMatrix(this.features, d, weights);
      for (let j = 0; j < d; j++) hessian[j * d + j]! += this.l2;
      const step = choleskySolve(hessian, g, d);
      let decrease = 0;
      for (let j = 0; j < d; j++) decrease += g[j]! * step[j]!;
      let t = 1;
      for (;;) {
        for (let j = 0; j < d; j++) trial[j] = x[j]! - t * step[j]!;
        const ft = this.objective64(trial);
        if (ft <= f - 0.25 * t * decrease + 1e-14 * Math.abs(f) || t < 1e-12) break;
        t /= 2;
      }
      x.set(trial);
      f = this.gradient64(x, g);
    }
    throw new Error("logistic regression: Newton's method did not reach ‖∇f‖ ≤ 1e-10 in 200 iterations");
  }
}
