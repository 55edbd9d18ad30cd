/**
 * Full eigendecomposition of a small dense symmetric matrix by the cyclic Jacobi method, for the
 * oracles that need every eigenvector of a gossip Laplacian (E[x(t)] = expm(−Λt/2)·x(0), reference
 * §6.2). The topology package has no such routine: its Lanczos and tridiagonal QL only return
 * eigenvalues (and one row of eigenvectors), which is all χ1 needs.
 *
 * Jacobi is chosen for simplicity and accuracy (it finds small eigenvalues to high relative accuracy,
 * and the eigenvectors come out orthogonal to rounding even for repeated eigenvalues, as on rings).
 * It costs about 6–10 sweeps of 4n³ flops: about 0.1 s at n = 64 and 0.6 s at n = 256 (cold, Node 20).
 * The implementation follows Numerical Recipes' `jacobi` (Rutishauser's thresholds and the
 * "100·|a_pq| is negligible" test that ends the iteration with exact zeros).
 */

/** Above this, use a method built for the size (the cost is cubic with a large constant). */
export const MAX_JACOBI_SIZE = 1024;

export interface SymmetricEigen {
  readonly n: number;
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /**
   * Unit eigenvectors as the columns of an n × n row-major matrix: vectors[i·n + k] is entry i of the
   * eigenvector of values[k].
   */
  readonly vectors: Float64Array;
}

/**
 * Eigenvalues and eigenvectors of the symmetric n × n row-major `matrix` (not modified). The matrix
 * must be symmetric to within 1e-12 of its largest entry; the upper triangle is what is used.
 */
export function symmetricEigen(
  matrix: ArrayLike<number>,
  n = Math.round(Math.sqrt(matrix.length)),
): SymmetricEigen {
  if (!Number.isInteger(n) || n < 1 || n * n !== matrix.length)
    throw new RangeError(`expected a square matrix, got ${matrix.length} entries for n = ${n}`);
  if (n > MAX_JACOBI_SIZE)
    throw new RangeError(`Jacobi eigensolver limited to n ≤ ${MAX_JACOBI_SIZE}, got ${n}`);
  checkSymmetric(matrix, n);
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const d = new Float64Array(n);
  const b = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    d[i] = a[i * n + i]!;
    b[i] = d[i]!;
  }

  let converged = false;
  for (let sweep = 1; sweep <= 100; sweep++) {
    let offDiagonal = 0;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) offDiagonal += Math.abs(a[p * n + q]!);
    if (offDiagonal === 0) {
      converged = true;
      break;
    }
    // Rotate only the larger entries in the first sweeps (Rutishauser).
    const threshold = sweep < 4 ? (0.2 * offDiagonal) / (n * n) : 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        const g = 100 * Math.abs(apq);
        const dp = Math.abs(d[p]!);
        const dq = Math.abs(d[q]!);
        if (sweep > 4 && dp + g === dp && dq + g === dq) {
          a[p * n + q] = 0;
          continue;
        }
        if (Math.abs(apq) <= threshold) continue;
        let h = d[q]! - d[p]!;
        let t: number;
        if (Math.abs(h) + g === Math.abs(h)) {
          t = apq / h;
        } else {
          const theta = (0.5 * h) / apq;
          t = 1 / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
          if (theta < 0) t = -t;
        }
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        const tau = s / (1 + c);
        h = t * apq;
        z[p]! -= h;
        z[q]! += h;
        d[p]! -= h;
        d[q]! += h;
        a[p * n + q] = 0;
        // Rotate the upper triangle: entries (j,p)&(j,q) for j < p, (p,j)&(j,q) for p < j < q,
        // (p,j)&(q,j) for j > q.
        for (let j = 0; j < p; j++) rotate(a, j * n + p, j * n + q, s, tau);
        for (let j = p + 1; j < q; j++) rotate(a, p * n + j, j * n + q, s, tau);
        for (let j = q + 1; j < n; j++) rotate(a, p * n + j, q * n + j, s, tau);
        for (let j = 0; j < n; j++) rotate(v, j * n + p, j * n + q, s, tau);
      }
    }
    for (let p = 0; p < n; p++) {
      b[p]! += z[p]!;
      d[p] = b[p]!;
      z[p] = 0;
    }
  }
  if (!converged) throw new Error("Jacobi eigensolver did not converge in 100 sweeps");

  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  const values = Float64Array.from(order, (k) => d[k]!);
  const vectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) vectors[i * n + k] = v[i * n + order[k]!]!;
  return { n, values, vectors };
}

/** n for an n × n row-major matrix. */
export function squareSize(matrix: ArrayLike<number>): number {
  const n = Math.round(Math.sqrt(matrix.length));
  if (n < 1 || n * n !== matrix.length)
    throw new RangeError(`expected a square matrix, got ${matrix.length} entries`);
  return n;
}

function rotate(a: Float64Array, first: number, second: number, s: number, tau: number): void {
  const g = a[first]!;
  const h = a[second]!;
  a[first] = g - s * (h + g * tau);
  a[second] = h + s * (g - h * tau);
}

function checkSymmetric(a: ArrayLike<number>, n: number): void {
  let scale = 0;
  for (let k = 0; k < n * n; k++) {
    const value = a[k]!;
    if (!Number.isFinite(value)) throw new RangeError(`matrix entry ${k} is not finite (${value})`);
    scale = Math.max(scale, Math.abs(value));
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(a[i * n + j]! - a[j * n + i]!) > 1e-12 * scale)
        throw new RangeError(`matrix is not symmetric at (${i}, ${j})`);
    }
  }
}
