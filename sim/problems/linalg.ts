/**
 * Small dense linear algebra for the convex problems' constants: a symmetric eigen-solver (cyclic
 * Jacobi rotations) and Cholesky. Matrices are square, row-major Float64Arrays of size d·d. Meant for
 * d up to a few hundred, where the O(d³) cost per Jacobi sweep is a fraction of a second.
 */

/**
 * All eigenvalues of the symmetric matrix `a` (d×d, row-major), ascending. `a` is not modified.
 * Cyclic Jacobi: sweep over all off-diagonal pairs, zeroing each by a rotation, until the off-diagonal
 * mass is below 1e-30 of the total (or 100 sweeps; convergence is quadratic, ~6–10 sweeps in practice).
 */
export function symmetricEigenvalues(a: Float64Array, d: number): Float64Array {
  if (a.length !== d * d) throw new RangeError(`matrix of ${a.length} entries is not ${d}×${d}`);
  const m = Float64Array.from(a);
  let total = 0;
  for (let i = 0; i < d * d; i++) total += m[i]! * m[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q]! * m[p * d + q]!;
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q]!;
        if (apq === 0) continue;
        const app = m[p * d + p]!;
        const aqq = m[q * d + q]!;
        // Rotation angle zeroing a_pq (Golub & Van Loan, Algorithm 8.4.1, stable form).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // Columns p and q: A ← A·J, then rows: A ← Jᵀ·A (symmetric, so both).
        for (let k = 0; k < d; k++) {
          const akp = m[k * d + p]!;
          const akq = m[k * d + q]!;
          m[k * d + p] = c * akp - s * akq;
          m[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = m[p * d + k]!;
          const aqk = m[q * d + k]!;
          m[p * d + k] = c * apk - s * aqk;
          m[q * d + k] = s * apk + c * aqk;
        }
        m[p * d + q] = 0;
        m[q * d + p] = 0;
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = m[i * d + i]!;
  return values.sort();
}

/**
 * The lower Cholesky factor L of the symmetric positive-definite `a` (a = L·Lᵀ), row-major, upper
 * triangle zero. Throws a RangeError when `a` is not (numerically) positive definite.
 */
export function cholesky(a: Float64Array, d: number): Float64Array {
  if (a.length !== d * d) throw new RangeError(`matrix of ${a.length} entries is not ${d}×${d}`);
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let diag = a[j * d + j]!;
    for (let k = 0; k < j; k++) diag -= l[j * d + k]! * l[j * d + k]!;
    if (!(diag > 0)) throw new RangeError(`matrix is not positive definite (pivot ${j} is ${diag})`);
    const ljj = Math.sqrt(diag);
    l[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let v = a[i * d + j]!;
      for (let k = 0; k < j; k++) v -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = v / ljj;
    }
  }
  return l;
}

/** Solves a·x = b for symmetric positive-definite `a` (Cholesky, forward then back substitution). */
export function choleskySolve(a: Float64Array, b: ArrayLike<number>, d: number): Float64Array {
  const l = cholesky(a, d);
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let v = b[i]!;
    for (let k = 0; k < i; k++) v -= l[i * d + k]! * y[k]!;
    y[i] = v / l[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let v = y[i]!;
    for (let k = i + 1; k < d; k++) v -= l[k * d + i]! * x[k]!;
    x[i] = v / l[i * d + i]!;
  }
  return x;
}
