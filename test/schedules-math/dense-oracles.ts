/**
 * Independent dense helpers for the oracles of these tests, written without sharing code with
 * sim/schedules/math (naive products, a Taylor-series exponential, RK4), so that a bug there cannot
 * hide in both sides of a comparison.
 */

export function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

export function matmul(x: ArrayLike<number>, y: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += x[i * n + k]! * y[k * n + j]!;
      out[i * n + j] = sum;
    }
  return out;
}

export function matvec(a: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += a[i * n + k]! * x[k]!;
    out[i] = sum;
  }
  return out;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** max |a − b| / max |b|. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m / maxAbs(b);
}

/**
 * Σ_k (A t)^k / k! summed until a term is below 1e-18 of the sum (for ‖A t‖ ≲ 1, where the series
 * converges fast and cancellation is mild); with `squarings` the matrix is first scaled by 2^−s and
 * the sum squared s times.
 */
export function expmTaylor(a: ArrayLike<number>, n: number, t: number, squarings = 0): Float64Array {
  const scale = t / 2 ** squarings;
  const scaled = Float64Array.from(a, (v) => v * scale);
  let sum = identity(n);
  let term = identity(n);
  for (let k = 1; k < 200; k++) {
    term = matmul(term, scaled, n).map((v) => v / k);
    sum = sum.map((v, i) => v + term[i]!);
    if (maxAbs(term) <= 1e-18 * maxAbs(sum)) break;
  }
  for (let s = 0; s < squarings; s++) sum = matmul(sum, sum, n);
  return sum;
}

/** Classical RK4 for dx/dt = A x over [0, t] in `steps` steps. */
export function rk4(a: ArrayLike<number>, x0: ArrayLike<number>, t: number, steps: number): Float64Array {
  let x = Float64Array.from(x0);
  const h = t / steps;
  for (let s = 0; s < steps; s++) {
    const k1 = matvec(a, x);
    const k2 = matvec(
      a,
      x.map((v, i) => v + (h / 2) * k1[i]!),
    );
    const k3 = matvec(
      a,
      x.map((v, i) => v + (h / 2) * k2[i]!),
    );
    const k4 = matvec(
      a,
      x.map((v, i) => v + h * k3[i]!),
    );
    x = x.map((v, i) => v + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
  }
  return x;
}
