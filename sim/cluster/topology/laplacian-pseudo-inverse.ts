import type { Graph } from "./graph.ts";

/**
 * Λ⁺ for the weighted Laplacian Λ = Σ_e λ_e (e_u − e_v)(e_u − e_v)ᵀ of a connected graph, held as a
 * factor: W = R⁻¹ where R Rᵀ = A = Λ + (s/n)·11ᵀ is a Cholesky factorisation.
 *
 * Why this form: A is positive definite when the graph is connected, and A⁻¹ = Λ⁺ + (1/s)·11ᵀ/n, so
 * on vectors orthogonal to 1 (the only ones that matter for consensus) A⁻¹ and Λ⁺ agree, and the
 * extra term cancels in every effective resistance (e_i − e_j)ᵀΛ⁺(e_i − e_j) = ‖W(e_i − e_j)‖².
 * Cholesky plus a triangular inverse cost n³/3 multiply-adds, against about 9n³ for a full
 * eigendecomposition (ml-matrix's takes 9 s at n = 1024, so over a minute at 2048). The shift s is
 * Λ's mean diagonal, which sits inside Λ's spectrum and so does not worsen A's conditioning.
 *
 * Storage is one n × n row-major array: while factorising, R fills the lower triangle; then column c
 * of W is written into row c from the diagonal rightwards (W is lower triangular, so its column c is
 * zero above row c), which makes both the resistances and the products below stride-1 loops.
 */
export class LaplacianPseudoInverse {
  readonly n: number;
  /** Row c, entries c..n−1: column c of W. (The rest is scratch.) */
  private readonly w: Float64Array;
  private readonly scratch: Float64Array;

  constructor(g: Graph, rates: Float64Array) {
    const n = g.n;
    this.n = n;
    const a = new Float64Array(n * n);
    let trace = 0;
    for (let e = 0; e < rates.length; e++) trace += 2 * rates[e]!;
    a.fill(trace / n / n);
    for (let e = 0; e < rates.length; e++) {
      const u = g.edgeU[e]!;
      const v = g.edgeV[e]!;
      const rate = rates[e]!;
      a[u * n + v]! -= rate;
      a[v * n + u]! -= rate;
      a[u * n + u]! += rate;
      a[v * n + v]! += rate;
    }
    const diag = choleskyInPlace(a, n);
    invertLowerIntoRows(a, diag, n);
    this.w = a;
    this.scratch = new Float64Array(n);
  }

  /** (e_i − e_j)ᵀ Λ⁺ (e_i − e_j): the effective resistance between i and j when edge e conducts λ_e. */
  resistance(i: number, j: number): number {
    if (i === j) return 0;
    if (i > j) [i, j] = [j, i];
    const n = this.n;
    const w = this.w;
    const ri = i * n;
    const rj = j * n;
    let sum = 0;
    for (let k = i; k < j; k++) sum += w[ri + k]! * w[ri + k]!;
    for (let k = j; k < n; k++) {
      const diff = w[ri + k]! - w[rj + k]!;
      sum += diff * diff;
    }
    return sum;
  }

  /** out = A⁻¹x = Wᵀ(Wx); equal to Λ⁺x when x sums to zero. `out` may not alias `x`. */
  apply(x: Float64Array, out: Float64Array): void {
    const n = this.n;
    const w = this.w;
    const z = this.scratch.fill(0);
    for (let c = 0; c < n; c++) {
      const xc = x[c]!;
      if (xc === 0) continue;
      const row = c * n;
      for (let k = c; k < n; k++) z[k]! += xc * w[row + k]!;
    }
    for (let c = 0; c < n; c++) {
      const row = c * n;
      let sum = 0;
      for (let k = c; k < n; k++) sum += w[row + k]! * z[k]!;
      out[c] = sum;
    }
  }
}

/**
 * The two O(n³) loops below stream one matrix row from memory per dot product; they are blocked by
 * four (four rows, or four columns, share each streamed row) because at n = 2048 the matrix (32 MiB)
 * is far larger than the caches and this halves their time.
 */
const BLOCK = 4;

/** Lower-triangular R with R Rᵀ = a, in a's lower triangle; returns R's diagonal. */
function choleskyInPlace(a: Float64Array, n: number): Float64Array {
  const diag = new Float64Array(n);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const rows = Math.min(BLOCK, n - i0);
    if (rows === BLOCK) {
      // Entries (i, j) of the four rows for every finished row j < i0, sharing row j.
      const r0 = i0 * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      for (let j = 0; j < i0; j++) {
        const rj = j * n;
        let s0 = a[r0 + j]!;
        let s1 = a[r1 + j]!;
        let s2 = a[r2 + j]!;
        let s3 = a[r3 + j]!;
        for (let k = 0; k < j; k++) {
          const x = a[rj + k]!;
          s0 -= a[r0 + k]! * x;
          s1 -= a[r1 + k]! * x;
          s2 -= a[r2 + k]! * x;
          s3 -= a[r3 + k]! * x;
        }
        const d = diag[j]!;
        a[r0 + j] = s0 / d;
        a[r1 + j] = s1 / d;
        a[r2 + j] = s2 / d;
        a[r3 + j] = s3 / d;
      }
    }
    // The block's own triangle (and every entry of a short last block), one at a time.
    for (let i = i0; i < i0 + rows; i++) {
      const ri = i * n;
      for (let j = rows === BLOCK ? i0 : 0; j <= i; j++) {
        const rj = j * n;
        let sum = a[ri + j]!;
        for (let k = 0; k < j; k++) sum -= a[ri + k]! * a[rj + k]!;
        if (j < i) {
          a[ri + j] = sum / diag[j]!;
        } else {
          // Cannot happen for a connected graph with positive rates: A's eigenvalues are λ2.. and s.
          if (!(sum > 0))
            throw new Error(`Laplacian factorisation failed at pivot ${i} (${sum}); graph disconnected?`);
          diag[i] = Math.sqrt(sum);
          a[ri + i] = diag[i]!;
        }
      }
    }
  }
  return diag;
}

/**
 * Solves R W = I column by column (W_cc = 1/R_cc, W_kc = −(Σ_{m=c}^{k−1} R_km W_mc) / R_kk) and writes
 * column c of W into row c, entries c..n−1. R's strictly lower part is only read and W's writes only
 * touch the diagonal and upper part, so the two share the array; R's diagonal comes from `diag`.
 * Columns go four at a time: they are independent, and each row k of R then serves all four.
 */
function invertLowerIntoRows(a: Float64Array, diag: Float64Array, n: number): void {
  for (let c0 = 0; c0 < n; c0 += BLOCK) {
    const end = Math.min(c0 + BLOCK, n);
    // Rows c0..end−1 of W's four columns: a small triangle, entry by entry.
    for (let c = c0; c < end; c++) {
      const rc = c * n;
      a[rc + c] = 1 / diag[c]!;
      for (let k = c + 1; k < end; k++) {
        const rk = k * n;
        let sum = 0;
        for (let m = c; m < k; m++) sum += a[rk + m]! * a[rc + m]!;
        a[rc + k] = -sum / diag[k]!;
      }
    }
    if (end - c0 < BLOCK) {
      for (let c = c0; c < end; c++) {
        const rc = c * n;
        for (let k = end; k < n; k++) {
          const rk = k * n;
          let sum = 0;
          for (let m = c; m < k; m++) sum += a[rk + m]! * a[rc + m]!;
          a[rc + k] = -sum / diag[k]!;
        }
      }
      continue;
    }
    const w0 = c0 * n;
    const w1 = w0 + n;
    const w2 = w1 + n;
    const w3 = w2 + n;
    for (let k = end; k < n; k++) {
      const rk = k * n;
      // Terms m < end, where the columns start at different rows (W_mc = 0 for m < c)...
      const x0 = a[rk + c0]!;
      const x1 = a[rk + c0 + 1]!;
      const x2 = a[rk + c0 + 2]!;
      const x3 = a[rk + c0 + 3]!;
      let s0 = x0 * a[w0 + c0]! + x1 * a[w0 + c0 + 1]! + x2 * a[w0 + c0 + 2]! + x3 * a[w0 + c0 + 3]!;
      let s1 = x1 * a[w1 + c0 + 1]! + x2 * a[w1 + c0 + 2]! + x3 * a[w1 + c0 + 3]!;
      let s2 = x2 * a[w2 + c0 + 2]! + x3 * a[w2 + c0 + 3]!;
      let s3 = x3 * a[w3 + c0 + 3]!;
      // ...then the shared stretch.
      for (let m = end; m < k; m++) {
        const x = a[rk + m]!;
        s0 += x * a[w0 + m]!;
        s1 += x * a[w1 + m]!;
        s2 += x * a[w2 + m]!;
        s3 += x * a[w3 + m]!;
      }
      const d = diag[k]!;
      a[w0 + k] = -s0 / d;
      a[w1 + k] = -s1 / d;
      a[w2 + k] = -s2 / d;
      a[w3 + k] = -s3 / d;
    }
  }
}
