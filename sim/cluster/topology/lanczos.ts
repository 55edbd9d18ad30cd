import { RandomStreams } from "../../engine/random.ts";
import { tridiagonalEigen } from "./tridiagonal-eigen.ts";

/** Relative residual at which the top Ritz value is accepted: |θ − μ| ≤ 1e-13·θ for an eigenvalue μ. */
const RELATIVE_TOLERANCE = 1e-13;

/**
 * Largest eigenvalue of a symmetric positive semi-definite operator restricted to the vectors that
 * sum to zero (the operator must map that subspace to itself, as Λ⁺ does). Lanczos with full
 * reorthogonalisation, so it is exact once the Krylov space fills the (n−1)-dimensional subspace and
 * never reports a spurious copy; it stops earlier as soon as the residual bound β_k·|y_k| of the top
 * Ritz pair is below the tolerance. Applied to Λ⁺, that eigenvalue is 1/λ2 = χ1 and the well separated
 * top of Λ⁺'s spectrum makes convergence fast (tens of steps on rings and tori).
 *
 * The start vector is a fixed pseudo-random one (not the run's streams: the constants of a graph
 * must not depend on the scenario's seed), so results are reproducible bit for bit.
 */
export function largestEigenvalueOnZeroSum(
  n: number,
  apply: (x: Float64Array, out: Float64Array) => void,
): number {
  const dimension = n - 1;
  if (dimension < 1) throw new RangeError("the zero-sum subspace needs n ≥ 2");
  const start = new Float64Array(n);
  const stream = new RandomStreams(0x1a2c05).stream("lanczos-start", n);
  for (let i = 0; i < n; i++) start[i] = stream.uniform() - 0.5;
  removeMean(start);
  scale(start, 1 / norm(start));

  const basis: Float64Array[] = [start];
  const alphas: number[] = [];
  const betas: number[] = [];
  const w = new Float64Array(n);
  let largestAlpha = 0;
  for (let j = 0; ; j++) {
    const q = basis[j]!;
    apply(q, w);
    removeMean(w);
    const alpha = dot(q, w);
    alphas.push(alpha);
    largestAlpha = Math.max(largestAlpha, alpha);
    axpy(-alpha, q, w);
    if (j > 0) axpy(-betas[j - 1]!, basis[j - 1]!, w);
    // Two Gram–Schmidt passes against the whole basis ("twice is enough", Kahan–Parlett).
    for (let pass = 0; pass < 2; pass++) for (const b of basis) axpy(-dot(b, w), b, w);
    removeMean(w);
    const beta = norm(w);

    const size = j + 1;
    // An invariant subspace (β at rounding level) ends the search as surely as a full one: on the
    // complete graph Λ⁺ is a multiple of the identity and the first step is already exact.
    const exhausted = size === dimension || beta <= Number.EPSILON * n * largestAlpha;
    if (exhausted || size < 32 || size % 8 === 0) {
      const { values, lastComponents } = tridiagonalEigen(alphas, betas);
      const theta = values[size - 1]!;
      const residual = beta * Math.abs(lastComponents[size - 1]!);
      if (exhausted || residual <= RELATIVE_TOLERANCE * theta) return theta;
    }
    betas.push(beta);
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = w[i]! / beta;
    basis.push(next);
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i]! += alpha * x[i]!;
}

function scale(a: Float64Array, factor: number): void {
  for (let i = 0; i < a.length; i++) a[i]! *= factor;
}

function removeMean(a: Float64Array): void {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]!;
  const mean = sum / a.length;
  for (let i = 0; i < a.length; i++) a[i]! -= mean;
}
