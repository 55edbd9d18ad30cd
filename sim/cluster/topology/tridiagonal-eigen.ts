/**
 * Eigenvalues of a symmetric tridiagonal matrix, with the last component of each unit eigenvector.
 *
 * Lanczos needs exactly this: the Ritz values of its tridiagonal T_k, and for each the residual
 * bound β_k·|y_k| whose y_k is the eigenvector's last component. Tracking that one row of the
 * eigenvector matrix through the QL rotations costs O(k) per sweep instead of O(k²) for the full
 * matrix. The iteration is the implicit QL method with Wilkinson-style shifts of EISPACK's tql2
 * (as in JAMA and ml-matrix), reduced to that single row.
 */
export interface TridiagonalEigen {
  /** Ascending. */
  readonly values: Float64Array;
  /** lastComponents[i]: last entry of the unit eigenvector of values[i]. */
  readonly lastComponents: Float64Array;
}

/**
 * `diagonal` has k entries; `offDiagonal[i]` (i < k − 1) couples entries i and i + 1. Inputs are not
 * modified.
 */
export function tridiagonalEigen(
  diagonal: ArrayLike<number>,
  offDiagonal: ArrayLike<number>,
): TridiagonalEigen {
  const n = diagonal.length;
  const d = Float64Array.from(diagonal);
  const e = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) e[i] = offDiagonal[i]!;
  // Last row of the accumulated rotations, starting from the identity's.
  const v = new Float64Array(n);
  if (n > 0) v[n - 1] = 1;

  // Off-diagonals below ε·‖T‖ are treated as zero. EISPACK takes a running maximum instead, which
  // starts at 0 and then mistakes a subnormal off-diagonal next to zeros for a significant one,
  // and its shift computation overflows to NaN (ml-matrix's copy crashes on the same input).
  let tst1 = 0;
  for (let i = 0; i < n; i++) tst1 = Math.max(tst1, Math.abs(d[i]!) + Math.abs(e[i]!));
  if (!Number.isFinite(tst1)) throw new RangeError("tridiagonal matrix with a NaN or infinite entry");
  let f = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    let m = l;
    while (m < n && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 60) throw new Error("tridiagonal QL did not converge");
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;

        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          h = v[i + 1]!;
          v[i + 1] = s * v[i]! + c * h;
          v[i] = c * v[i]! - s * h;
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a]! - d[b]!);
  return {
    values: Float64Array.from(order, (i) => d[i]!),
    lastComponents: Float64Array.from(order, (i) => v[i]!),
  };
}
