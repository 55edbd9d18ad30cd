import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { RandomStreams } from "../engine/random.ts";
import { choleskySolve, symmetricEigenvalues } from "./linalg.ts";
import { LinearModelProblem } from "./linear-model.ts";
import { once } from "./once.ts";
import { gramMatrix, referenceModel, workerData } from "./synthetic.ts";

export interface LeastSquaresOptions {
  readonly dimension: number;
  readonly samplesPerWorker: number;
  /** Samples per stochastic gradient; ≥ samplesPerWorker gives the full local gradient. */
  readonly batchSize: number;
  /** Standard deviation σ of the additive target noise. */
  readonly noise: number;
  /** h ≥ 0: 0 for iid shards; see `synthetic.ts` for how h shifts and scales each worker's data. */
  readonly heterogeneity: number;
  /** λ ≥ 0 of the ℓ2 term (λ/2)‖x‖². */
  readonly l2: number;
}

/**
 * Linear regression over per-worker synthetic data (DADAO's first problem, reference §2.9):
 *
 *     f_i(x) = (1/(2m)) Σ_k (a_kᵀx − b_k)² + (λ/2)‖x‖²,    b_k = a_kᵀx_i + σ·ε_k,
 *
 * with a_k and the worker's true model x_i from `workerData` (streams "least-squares-truth" and
 * ("least-squares-data", i)). Exact constants of f = (1/n)Σ f_i, whose Hessian is the constant matrix
 * H = (1/(nm)) AᵀA + λI: μ = λ_min(H), L = λ_max(H) (Jacobi), x* = H⁻¹·(1/(nm))Aᵀb (Cholesky).
 * Needs H positive definite: λ > 0 or n·m ≥ d (almost surely enough, for continuous data).
 */
export class LeastSquaresProblem extends LinearModelProblem {
  readonly name = "least-squares";
  /** H, x* and the spectra, computed on first use (once.ts). */
  private readonly exact: () => {
    hessian: Float64Array;
    xStar: Float64Array;
    mu: number;
    L: number;
    localMu: number;
    localL: number;
  };

  constructor(options: LeastSquaresOptions, workers: number, streams: RandomStreams) {
    const { dimension: d, samplesPerWorker: m, noise, heterogeneity, l2 } = options;
    const reference = referenceModel(streams, "least-squares", d);
    const features: Float64Array[] = [];
    const targets: Float64Array[] = [];
    for (let w = 0; w < workers; w++) {
      const data = workerData(streams, "least-squares", w, reference, m, heterogeneity);
      const b = new Float64Array(m);
      for (let k = 0; k < m; k++) {
        let z = 0;
        for (let j = 0; j < d; j++) z += data.features[k * d + j]! * data.model[j]!;
        b[k] = z + noise * data.noise[k]!;
      }
      features.push(data.features);
      targets.push(b);
    }
    super(d, workers, m, options.batchSize, l2, features, targets);
    this.exact = once(() => exactConstants(features, targets, d, m, l2));
  }

  get mu(): number {
    return this.exact().mu;
  }
  get L(): number {
    return this.exact().L;
  }
  get localMu(): number {
    return this.exact().localMu;
  }
  get localL(): number {
    return this.exact().localL;
  }
  /** The minimiser of f, float64. */
  get xStar(): Float64Array {
    return this.exact().xStar;
  }
  /** H = (1/(nm)) AᵀA + λI, d×d row-major. */
  get hessian(): Float64Array {
    return this.exact().hessian;
  }

  protected sampleLoss(z: number, t: number): number {
    const r = z - t;
    return 0.5 * r * r;
  }

  protected sampleSlope(z: number, t: number): number {
    return z - t;
  }

  optimum(kernels: Kernels): Vec {
    return kernels.fromArray(this.xStar);
  }
}

/** H, x* = H⁻¹·(1/(nm))Aᵀb, μ and L of f, and the extreme local ones of the f_i. */
function exactConstants(
  features: readonly Float64Array[],
  targets: readonly Float64Array[],
  d: number,
  m: number,
  l2: number,
) {
  const workers = features.length;
  const hessian = gramMatrix(features, d);
  for (let j = 0; j < d; j++) hessian[j * d + j]! += l2;
  const rhs = new Float64Array(d);
  for (let w = 0; w < workers; w++) {
    const a = features[w]!;
    const b = targets[w]!;
    for (let k = 0; k < m; k++) for (let j = 0; j < d; j++) rhs[j]! += a[k * d + j]! * b[k]!;
  }
  for (let j = 0; j < d; j++) rhs[j] = rhs[j]! / (workers * m);
  const eigenvalues = symmetricEigenvalues(hessian, d);
  // Each f_i has the constant Hessian (1/m) A_iᵀA_i + λI.
  const local = features.map((a) => symmetricEigenvalues(gramMatrix([a], d), d));
  return {
    hessian,
    xStar: choleskySolve(hessian, rhs, d),
    mu: eigenvalues[0]!,
    L: eigenvalues[d - 1]!,
    localMu: Math.min(...local.map((e) => e[0]!)) + l2,
    localL: Math.max(...local.map((e) => e[d - 1]!)) + l2,
  };
}
