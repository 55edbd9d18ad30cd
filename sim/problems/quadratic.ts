import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { RandomStream, RandomStreams } from "../engine/random.ts";
import type { Problem } from "./problem.ts";

export interface QuadraticOptions {
  readonly dimension: number;
  /** Condition number κ = L/μ of the curvatures (log-uniform in [1, κ]). */
  readonly condition: number;
  /** Spread of the workers' optima around the common one (how much local objectives disagree). */
  readonly heterogeneity: number;
  /** Standard deviation of the additive gradient noise (0: exact local gradients). */
  readonly noise: number;
}

/**
 * A separable quadratic, for large dimensions: f_i(x) = ½ Σ_k h_k (x_k − c_ik)², the curvatures h_k
 * shared by all workers and log-uniform in [1, κ], each worker's centre c_i drawn around a common one.
 * Then f = (1/n) Σ f_i has μ = min h, L = max h and x* = (1/n) Σ c_i exactly, and a gradient costs
 * O(d) — so numeric runs at d = 10⁵ and more measure the schedule and its vector kernels, not the
 * problem. Stochastic gradients add N(0, noise²) per coordinate.
 */
export class QuadraticProblem implements Problem {
  readonly name = "quadratic";
  readonly dimension: number;
  readonly bytesPerValue = 4;
  /** A multiply-add and a subtraction per coordinate. */
  readonly flopsPerSample: number;
  readonly batchSize = 1;
  readonly workers: number;
  readonly numeric = true;
  readonly mu: number;
  readonly L: number;
  /** Every f_i has the same curvatures: the local constants are the global ones. */
  get localMu(): number {
    return this.mu;
  }
  get localL(): number {
    return this.L;
  }
  private readonly curvature: Float32Array;
  private readonly centres: Float32Array[];
  private readonly xStar: Float32Array;
  private readonly noise: number;

  constructor(options: QuadraticOptions, workers: number, streams: RandomStreams) {
    const d = options.dimension;
    this.dimension = d;
    this.workers = workers;
    this.flopsPerSample = 3 * d;
    this.noise = options.noise;
    const shape = streams.stream("quadratic-curvature");
    this.curvature = new Float32Array(d);
    let mu = Number.POSITIVE_INFINITY;
    let L = 0;
    for (let k = 0; k < d; k++) {
      const h = Math.fround(options.condition ** shape.uniform());
      this.curvature[k] = h;
      mu = Math.min(mu, h);
      L = Math.max(L, h);
    }
    this.mu = mu;
    this.L = L;
    const common = streams.stream("quadratic-centre");
    const centre = Float64Array.from({ length: d }, () => common.normal());
    const mean = new Float64Array(d);
    // Each worker's centre from its own stream: worker i's objective does not depend on n.
    this.centres = Array.from({ length: workers }, (_, w) => {
      const rng = streams.stream("quadratic-worker", w);
      const c = new Float32Array(d);
      for (let k = 0; k < d; k++) {
        c[k] = centre[k]! + options.heterogeneity * rng.normal();
        mean[k]! += c[k]! / workers;
      }
      return c;
    });
    this.xStar = Float32Array.from(mean);
  }

  initialParameters(kernels: Kernels): Vec {
    const x = kernels.alloc(this.dimension);
    kernels.fill(x, 0);
    return x;
  }

  gradient(worker: number, x: Vec, g: Vec, rng: RandomStream): number {
    const xd = x.data!;
    const gd = g.data!;
    const c = this.centres[worker]!;
    const h = this.curvature;
    let loss = 0;
    for (let k = 0; k < xd.length; k++) {
      const r = xd[k]! - c[k]!;
      const hr = h[k]! * r;
      loss += hr * r;
      gd[k] = hr;
    }
    if (this.noise > 0) for (let k = 0; k < gd.length; k++) gd[k]! += this.noise * rng.normal();
    return loss / 2;
  }

  loss(x: Vec): number {
    const xd = x.data!;
    let total = 0;
    for (const c of this.centres) {
      for (let k = 0; k < xd.length; k++) total += this.curvature[k]! * (xd[k]! - c[k]!) ** 2;
    }
    return total / (2 * this.workers);
  }

  optimum(kernels: Kernels): Vec {
    return kernels.fromArray(this.xStar);
  }
}
