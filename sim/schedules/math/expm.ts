/**
 * Matrix exponentials of small dense matrices (row-major Float64Array, n × n), for the linear ODEs
 * that DADAO and A²CiD² integrate between events (reference §2.4, §3.2).
 *
 * `expm` is the scaling-and-squaring algorithm with diagonal Padé approximants of Higham (2005),
 * "The scaling and squaring method for the matrix exponential revisited" (the algorithm behind
 * MATLAB's expm, scipy.linalg.expm and torch.linalg.matrix_exp): the smallest degree m ∈ {3, 5, 7, 9,
 * 13} whose θ_m bounds ‖A‖₁ gives a backward error below 2⁻⁵³; above θ13 the matrix is scaled by 2⁻ˢ
 * and the result squared s times. Relative accuracy is that of the problem's conditioning, about
 * ‖A‖·ε for a normal matrix (a rotation by 1000 rad cannot be known better than ~1e-13 in float64).
 */

/** θ_m of Higham (2005), Table 2.3: the largest ‖A‖₁ for which degree m is accurate to 2⁻⁵³. */
const THETA_3 = 1.495585217958292e-2;
const THETA_5 = 2.53939833006323e-1;
const THETA_7 = 9.504178996162932e-1;
const THETA_9 = 2.097847961257068;
const THETA_13 = 5.371920351148152;

/** Coefficients b_0..b_m of the [m/m] Padé approximant of e^x (numerator; the denominator alternates signs). */
const PADE_3 = [120, 60, 12, 1];
const PADE_5 = [30240, 15120, 3360, 420, 30, 1];
const PADE_7 = [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1];
const PADE_9 = [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1];
const PADE_13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];

/**
 * Reusable workspace for exponentials of n × n matrices: no allocation per call, which matters when a
 * schedule takes one exponential per event.
 */
export class MatrixExponential {
  readonly n: number;
  private readonly a: Float64Array;
  private readonly a2: Float64Array;
  private readonly a4: Float64Array;
  private readonly a6: Float64Array;
  private readonly u: Float64Array;
  private readonly v: Float64Array;
  private readonly t1: Float64Array;
  private readonly t2: Float64Array;
  private readonly pivots: Int32Array;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`matrix size must be a positive integer, got ${n}`);
    this.n = n;
    const nn = n * n;
    this.a = new Float64Array(nn);
    this.a2 = new Float64Array(nn);
    this.a4 = new Float64Array(nn);
    this.a6 = new Float64Array(nn);
    this.u = new Float64Array(nn);
    this.v = new Float64Array(nn);
    this.t1 = new Float64Array(nn);
    this.t2 = new Float64Array(nn);
    this.pivots = new Int32Array(n);
  }

  /** out = expm(matrix · t). `out` may alias `matrix`. Returns `out`. */
  compute(
    matrix: ArrayLike<number>,
    t: number,
    out: Float64Array = new Float64Array(this.n * this.n),
  ): Float64Array {
    const n = this.n;
    const nn = n * n;
    if (matrix.length !== nn)
      throw new RangeError(`expected ${nn} entries for a ${n} × ${n} matrix, got ${matrix.length}`);
    if (out.length !== nn) throw new RangeError(`output needs ${nn} entries, got ${out.length}`);
    if (!Number.isFinite(t)) throw new RangeError(`time must be finite, got ${t}`);
    const a = this.a;
    for (let k = 0; k < nn; k++) {
      const entry = matrix[k]! * t;
      if (!Number.isFinite(entry)) throw new RangeError(`matrix entry ${k} times ${t} is not finite`);
      a[k] = entry;
    }
    const norm = oneNorm(a, n);
    let squarings = 0;
    if (norm <= THETA_3) this.padeLow(PADE_3);
    else if (norm <= THETA_5) this.padeLow(PADE_5);
    else if (norm <= THETA_7) this.padeLow(PADE_7);
    else if (norm <= THETA_9) this.padeLow(PADE_9);
    else {
      squarings = Math.max(0, Math.ceil(Math.log2(norm / THETA_13)));
      const scale = 2 ** -squarings;
      for (let k = 0; k < nn; k++) a[k]! *= scale;
      this.pade13();
    }
    // r = (V − U)⁻¹ (V + U): t1 := V − U (factored), out := V + U, solved in place.
    const { u, v, t1 } = this;
    for (let k = 0; k < nn; k++) {
      t1[k] = v[k]! - u[k]!;
      out[k] = v[k]! + u[k]!;
    }
    luFactor(t1, n, this.pivots);
    luSolveInPlace(t1, n, this.pivots, out);
    for (let s = 0; s < squarings; s++) {
      multiply(out, out, this.t2, n);
      out.set(this.t2);
    }
    return out;
  }

  /** U and V for degrees 3..9 from the powers A², A⁴, … (Higham 2005, Algorithm 2.3, lines 2–5). */
  private padeLow(b: readonly number[]): void {
    const { n, a, a2, t1, t2, u, v } = this;
    const nn = n * n;
    multiply(a, a, a2, n);
    // t1 accumulates Σ b_{2k+1} A^{2k}, v accumulates Σ b_{2k} A^{2k}; t2 holds the current A^{2k}.
    t1.fill(0);
    v.fill(0);
    for (let i = 0; i < n; i++) {
      t1[i * n + i] = b[1]!;
      v[i * n + i] = b[0]!;
    }
    t2.set(a2);
    const m = b.length - 1;
    for (let k = 2; k <= m; k += 2) {
      const odd = b[k + 1]!;
      const even = b[k]!;
      for (let e = 0; e < nn; e++) {
        t1[e]! += odd * t2[e]!;
        v[e]! += even * t2[e]!;
      }
      if (k + 2 <= m) {
        multiply(t2, a2, this.a4, n);
        t2.set(this.a4);
      }
    }
    multiply(a, t1, u, n);
  }

  /** U and V for degree 13 with the three products of Higham (2005), eqs. (2.10)–(2.11). */
  private pade13(): void {
    const { n, a, a2, a4, a6, t1, t2, u, v } = this;
    const nn = n * n;
    const b = PADE_13;
    multiply(a, a, a2, n);
    multiply(a2, a2, a4, n);
    multiply(a2, a4, a6, n);
    // U = A [A6 (b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I]
    for (let e = 0; e < nn; e++) t1[e] = b[13]! * a6[e]! + b[11]! * a4[e]! + b[9]! * a2[e]!;
    multiply(a6, t1, t2, n);
    for (let e = 0; e < nn; e++) t2[e]! += b[7]! * a6[e]! + b[5]! * a4[e]! + b[3]! * a2[e]!;
    for (let i = 0; i < n; i++) t2[i * n + i]! += b[1]!;
    multiply(a, t2, u, n);
    // V = A6 (b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I
    for (let e = 0; e < nn; e++) t1[e] = b[12]! * a6[e]! + b[10]! * a4[e]! + b[8]! * a2[e]!;
    multiply(a6, t1, v, n);
    for (let e = 0; e < nn; e++) v[e]! += b[6]! * a6[e]! + b[4]! * a4[e]! + b[2]! * a2[e]!;
    for (let i = 0; i < n; i++) v[i * n + i]! += b[0]!;
  }
}

const workspaces = new Map<number, MatrixExponential>();

/** expm(matrix · t) for an n × n row-major matrix (a new array). */
export function expm(matrix: ArrayLike<number>, n: number, t = 1): Float64Array {
  let workspace = workspaces.get(n);
  if (workspace === undefined) {
    workspace = new MatrixExponential(n);
    if (n <= 16) workspaces.set(n, workspace);
  }
  return workspace.compute(matrix, t);
}

const six = new MatrixExponential(6);

/** expm(M · dt) for a 6 × 6 row-major M, such as `dadaoOdeMatrix`; writes into `out` when given. */
export function expm6(
  m: ArrayLike<number>,
  dt: number,
  out: Float64Array = new Float64Array(36),
): Float64Array {
  return six.compute(m, dt, out);
}

/**
 * expm(B·t) of a 2 × 2 matrix B = [[b00, b01], [b10, b11]] in closed form, as [e00, e01, e10, e11]:
 * with τ = tr B, q² = τ²/4 − det B, expm(Bt) = c·I + s·(B − τ/2·I), where
 *   q² > 0: c = e^{τt/2} cosh(qt), s = e^{τt/2} sinh(qt)/q, evaluated as e^{(τ/2+q)t}(1 ± e^{−2qt})/2
 *           (with expm1 for the minus sign) so that neither overflows nor cancels for any qt ≥ 0;
 *   q² < 0: c = e^{τt/2} cos(ωt), s = e^{τt/2} sin(ωt)/ω with ω² = −q²;   q² = 0: c = e^{τt/2}, s = t·c.
 * Meant for stable matrices (eigenvalues with non-positive real part), as every 2 × 2 block here is.
 */
export function expm2(b00: number, b01: number, b10: number, b11: number, t: number): Float64Array {
  const half = (b00 + b11) / 2;
  const q2 = ((b00 - b11) / 2) ** 2 + b01 * b10;
  let c: number;
  let s: number;
  if (q2 > 0) {
    const q = Math.sqrt(q2);
    const qt = q * t;
    const lead = Math.exp((half + q) * t);
    const tail = Math.exp(-2 * qt);
    c = (lead * (1 + tail)) / 2;
    s = qt === 0 ? lead * t : (lead * -Math.expm1(-2 * qt)) / (2 * q);
  } else if (q2 < 0) {
    const w = Math.sqrt(-q2);
    const decay = Math.exp(half * t);
    c = decay * Math.cos(w * t);
    s = (decay * Math.sin(w * t)) / w;
  } else {
    c = Math.exp(half * t);
    s = t * c;
  }
  return Float64Array.of(c + s * (b00 - half), s * b01, s * b10, c + s * (b11 - half));
}

/** out = x · y for n × n row-major matrices; `out` must not alias x or y. */
export function multiply(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  out: Float64Array,
  n: number,
): Float64Array {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) out[row + j] = 0;
    for (let k = 0; k < n; k++) {
      const xik = x[row + k]!;
      if (xik === 0) continue;
      const yk = k * n;
      for (let j = 0; j < n; j++) out[row + j]! += xik * y[yk + j]!;
    }
  }
  return out;
}

/** Maximum absolute column sum. */
export function oneNorm(a: ArrayLike<number>, n: number): number {
  let largest = 0;
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.abs(a[i * n + j]!);
    if (sum > largest) largest = sum;
  }
  return largest;
}

/** In-place LU with partial pivoting (row interchanges in `pivots`). */
function luFactor(a: Float64Array, n: number, pivots: Int32Array): void {
  for (let k = 0; k < n; k++) {
    let p = k;
    let largest = Math.abs(a[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const value = Math.abs(a[i * n + k]!);
      if (value > largest) {
        largest = value;
        p = i;
      }
    }
    pivots[k] = p;
    // V − U is nonsingular for every ‖A‖₁ ≤ θ13 (Higham 2005, §2); zero means a NaN slipped in.
    if (!(largest > 0)) throw new Error("singular Padé denominator in expm");
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const tmp = a[k * n + j]!;
        a[k * n + j] = a[p * n + j]!;
        a[p * n + j] = tmp;
      }
    }
    const pivot = a[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const factor = a[i * n + k]! / pivot;
      a[i * n + k] = factor;
      if (factor === 0) continue;
      for (let j = k + 1; j < n; j++) a[i * n + j]! -= factor * a[k * n + j]!;
    }
  }
}

/** Solves (LU) X = B for the n columns of B (n × n, row-major), in place. */
function luSolveInPlace(lu: Float64Array, n: number, pivots: Int32Array, b: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const p = pivots[k]!;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const tmp = b[k * n + j]!;
        b[k * n + j] = b[p * n + j]!;
        b[p * n + j] = tmp;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const factor = lu[i * n + k]!;
      if (factor === 0) continue;
      for (let j = 0; j < n; j++) b[i * n + j]! -= factor * b[k * n + j]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const factor = lu[i * n + k]!;
      if (factor === 0) continue;
      for (let j = 0; j < n; j++) b[i * n + j]! -= factor * b[k * n + j]!;
    }
    const pivot = lu[i * n + i]!;
    for (let j = 0; j < n; j++) b[i * n + j]! /= pivot;
  }
}
