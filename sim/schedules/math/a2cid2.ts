import { expm2 } from "./expm.ts";
import { type SymmetricEigen, squareSize, symmetricEigen } from "./symmetric-eigen.ts";

/**
 * The math of A²CiD² (reference §3; Nabli, Belilovsky & Oyallon, NeurIPS 2023), transcribed from the
 * authors' code (`AdelNabli/ACiD` at 89393fd): the constants, the closed-form mixing of (x, x̃)
 * between events, the pairwise update as in-place kernels, and the expected dynamics of §6.3.
 *
 * Theory model (§3.2), per worker i, with α = ½:
 *   dx_i = η(x̃_i − x_i)dt − γ∇F dN_i − α  Σ_j (x_i − x_j) dM_ij
 *   dx̃_i = η(x_i − x̃_i)dt − γ∇F dN_i − α̃ Σ_j (x_i − x_j) dM_ij
 */

export interface A2cid2Constants {
  /** η = 1/(2√(χ1χ2)): the x ↔ x̃ mixing rate (the code's `eta`). */
  readonly eta: number;
  /** α̃ = ½√(χ1/χ2): the x̃ jump at a communication (the code's `beta_tilde`). */
  readonly alphaTilde: number;
  /** α = ½: the x jump at a communication (exact pairwise averaging). */
  readonly alpha: number;
}

/**
 * `compute_acid_constants`: η = 0.5/√(χ1χ2), α̃ = 0.5·√(χ1/χ2), from the χ's of the actual gossip
 * Laplacian (the time unit is one gradient of a worker; see `spectralConstants`, `gossipConstants`).
 */
export function a2cid2Constants(chi1: number, chi2: number): A2cid2Constants {
  checkPositive(chi1, "chi1");
  checkPositive(chi2, "chi2");
  return { eta: 0.5 / Math.sqrt(chi1 * chi2), alphaTilde: 0.5 * Math.sqrt(chi1 / chi2), alpha: 0.5 };
}

/** Coefficients of x ← a·x + b·x̃, x̃ ← a·x̃ + b·x (both from the old values). */
export interface MixCoefficients {
  readonly a: number;
  readonly b: number;
}

/**
 * expm(Mτ) for M = [[−η, η], [η, −η]] (reference §3.2, `acid_ode`): a = (1 + e^{−2ητ})/2,
 * b = (1 − e^{−2ητ})/2, with b through expm1 so that it keeps full relative precision for small ητ.
 * τ is the elapsed time in gradient units. a + b = 1 (to rounding): x + x̃ is conserved.
 */
export function mixCoefficients(eta: number, tau: number): MixCoefficients {
  if (!(eta >= 0 && Number.isFinite(eta))) throw new RangeError(`eta must be ≥ 0 and finite, got ${eta}`);
  if (!(tau >= 0 && Number.isFinite(tau)))
    throw new RangeError(`elapsed time must be ≥ 0 and finite, got ${tau}`);
  const decay = Math.exp(-2 * eta * tau);
  return { a: (1 + decay) / 2, b: -Math.expm1(-2 * eta * tau) / 2 };
}

/** Applies the mixing to one worker's (x, x̃) in place. */
export function applyMix({ a, b }: MixCoefficients, x: Float64Array, xTilde: Float64Array): void {
  const d = x.length;
  if (xTilde.length !== d) throw new RangeError(`x has ${d} entries, x̃ ${xTilde.length}`);
  for (let k = 0; k < d; k++) {
    const xk = x[k]!;
    const tk = xTilde[k]!;
    x[k] = a * xk + b * tk;
    xTilde[k] = a * tk + b * xk;
  }
}

/**
 * One side of a communication, as the code does it (`p2p_averaging.py`, after the local ODE mix):
 * x̃_i += α̃·(x_j − x_i), then x_i ← x_i + α·(x_j − x_i) (= (x_i + x_j)/2 for α = ½), where x_j is
 * what the peer sent. In the code the peer sends its pre-mix x (§3.3 "subtlety"); the theory
 * (`applyA2cid2Pair`) uses both post-mix values.
 */
export function applyA2cid2Receive(
  c: A2cid2Constants,
  x: Float64Array,
  xTilde: Float64Array,
  peerX: ArrayLike<number>,
): void {
  const d = x.length;
  if (xTilde.length !== d || peerX.length !== d)
    throw new RangeError(`vectors of different sizes (${d}, ${xTilde.length}, ${peerX.length})`);
  const { alpha, alphaTilde } = c;
  for (let k = 0; k < d; k++) {
    const diff = peerX[k]! - x[k]!;
    xTilde[k]! += alphaTilde * diff;
    x[k]! += alpha * diff;
  }
}

/**
 * The theory's communication on edge (i, j), both workers already mixed to the event time
 * (reference §3.2): with m = x_i − x_j (old values),
 *   x_i −= α·m;  x_j += α·m;  x̃_i −= α̃·m;  x̃_j += α̃·m.
 * Σ x and Σ x̃ over the workers are conserved.
 */
export function applyA2cid2Pair(
  c: A2cid2Constants,
  xi: Float64Array,
  xTildeI: Float64Array,
  xj: Float64Array,
  xTildeJ: Float64Array,
): void {
  const d = xi.length;
  if (xTildeI.length !== d || xj.length !== d || xTildeJ.length !== d)
    throw new RangeError("the four vectors of a pair update must have the same size");
  const { alpha, alphaTilde } = c;
  for (let k = 0; k < d; k++) {
    const m = xi[k]! - xj[k]!;
    xi[k]! -= alpha * m;
    xj[k]! += alpha * m;
    xTildeI[k]! -= alphaTilde * m;
    xTildeJ[k]! += alphaTilde * m;
  }
}

/**
 * The 2n × 2n matrix A of reference §6.3 (row-major), d/dt E[(x, x̃)] = A·E[(x, x̃)] without gradients:
 *   A = [[−ηI − αΛ, ηI], [ηI − α̃Λ, −ηI]]
 * for a dense row-major n × n gossip Laplacian Λ (`denseLaplacian`). For tests and oracles.
 */
export function expectedDynamicsMatrix(laplacian: ArrayLike<number>, c: A2cid2Constants): Float64Array {
  const n = squareSize(laplacian);
  const size = 2 * n;
  const a = new Float64Array(size * size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const l = laplacian[i * n + j]!;
      a[i * size + j] = -c.alpha * l;
      a[(n + i) * size + j] = -c.alphaTilde * l;
    }
    a[i * size + i]! -= c.eta;
    a[i * size + n + i] = c.eta;
    a[(n + i) * size + i]! += c.eta;
    a[(n + i) * size + n + i] = -c.eta;
  }
  return a;
}

/** Eigenvalues as parallel arrays of real and imaginary parts. */
export interface ComplexValues {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/**
 * The 2n eigenvalues of A without forming it. Every block of A is a polynomial in Λ, so on each unit
 * eigenvector v_k of Λ (eigenvalue λ_k) A acts on span{(v_k, 0), (0, v_k)} as the 2 × 2 matrix
 *   B_k = [[−η − αλ_k, η], [η − α̃λ_k, −η]],
 * and A's spectrum is the union of the B_k's. Entries 2k, 2k+1 are B_k's eigenvalues (slower first).
 */
export function a2cid2ModeEigenvalues(
  laplacianEigenvalues: ArrayLike<number>,
  c: A2cid2Constants,
): ComplexValues {
  const n = laplacianEigenvalues.length;
  const re = new Float64Array(2 * n);
  const im = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const lambda = laplacianEigenvalues[k]!;
    const b00 = -c.eta - c.alpha * lambda;
    const b01 = c.eta;
    const b10 = c.eta - c.alphaTilde * lambda;
    const b11 = -c.eta;
    const half = (b00 + b11) / 2;
    const q2 = ((b00 - b11) / 2) ** 2 + b01 * b10;
    if (q2 >= 0) {
      const q = Math.sqrt(q2);
      // The slow root half + q by cancellation-free det/(half − q) (both roots have the sign of half).
      const fast = half - q;
      const det = b00 * b11 - b01 * b10;
      re[2 * k] = fast === 0 || det === 0 ? 0 : det / fast;
      re[2 * k + 1] = fast;
    } else {
      const w = Math.sqrt(-q2);
      re[2 * k] = half;
      re[2 * k + 1] = half;
      im[2 * k] = w;
      im[2 * k + 1] = -w;
    }
  }
  return { re, im };
}

/**
 * Decay rate of the slowest consensus mode of A: the smallest |Re μ| over the modes of Λ's non-zero
 * eigenvalues, i.e. leaving out the x + x̃ mode (λ = 0, eigenvalues 0 and −2η, whose 0 is the
 * conserved average). `laplacianEigenvalues` ascending, of a connected graph (one zero eigenvalue).
 * Equals η when α̃λ2 = η (the theory constants; reference §6.3), against αλ2 = λ2/2 without A²CiD².
 */
export function slowestConsensusDecay(laplacianEigenvalues: ArrayLike<number>, c: A2cid2Constants): number {
  if (laplacianEigenvalues.length < 2) throw new RangeError("consensus needs at least two workers");
  const { re } = a2cid2ModeEigenvalues(laplacianEigenvalues, c);
  let slowest = Number.POSITIVE_INFINITY;
  for (let k = 2; k < re.length; k++) slowest = Math.min(slowest, Math.abs(re[k]!));
  return slowest;
}

/**
 * E[(x(t), x̃(t))] = expm(A·t)·(x(0), x̃(0)) for pure A²CiD² gossip (no gradients), exactly, through
 * Λ's eigendecomposition and a closed-form 2 × 2 exponential per mode (`expm2`). One decomposition
 * serves every t.
 */
export class A2cid2MeanPropagator {
  readonly n: number;
  readonly constants: A2cid2Constants;
  readonly eigen: SymmetricEigen;

  constructor(laplacian: ArrayLike<number>, constants: A2cid2Constants) {
    this.n = squareSize(laplacian);
    this.constants = constants;
    this.eigen = symmetricEigen(laplacian, this.n);
  }

  mean(
    x0: ArrayLike<number>,
    xTilde0: ArrayLike<number>,
    t: number,
  ): { x: Float64Array; xTilde: Float64Array } {
    const { n, constants: c } = this;
    if (x0.length !== n || xTilde0.length !== n)
      throw new RangeError(`expected ${n} entries per vector, got ${x0.length} and ${xTilde0.length}`);
    if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`time must be ≥ 0 and finite, got ${t}`);
    const { values, vectors } = this.eigen;
    const x = new Float64Array(n);
    const xTilde = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let p = 0;
      let q = 0;
      for (let i = 0; i < n; i++) {
        const v = vectors[i * n + k]!;
        p += v * x0[i]!;
        q += v * xTilde0[i]!;
      }
      const lambda = values[k]!;
      const e = expm2(-c.eta - c.alpha * lambda, c.eta, c.eta - c.alphaTilde * lambda, -c.eta, t);
      const pt = e[0]! * p + e[1]! * q;
      const qt = e[2]! * p + e[3]! * q;
      for (let i = 0; i < n; i++) {
        const v = vectors[i * n + k]!;
        x[i]! += pt * v;
        xTilde[i]! += qt * v;
      }
    }
    return { x, xTilde };
  }
}

function checkPositive(value: number, name: string): void {
  if (!(value > 0 && Number.isFinite(value)))
    throw new RangeError(`${name} must be positive and finite, got ${value}`);
}
