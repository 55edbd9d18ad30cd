import type { Graph } from "./graph.ts";

/**
 * Exact spectra of circulant graphs (ring, exponential, complete, any i ~ i ± d family) in
 * O(n · offsets) time, so the A²CiD² graphs get their constants at any size, far past the dense limit.
 *
 * A circulant Laplacian is diagonalised by the discrete Fourier basis: with λ_d the rate of the
 * edges {i, i + d},
 *   μ_k = Σ_{d < n/2} 4λ_d sin²(πkd/n) + [n even] 2λ_{n/2} sin²(πk/2)      (k = 0..n−1),
 *   R_d = (1/n) Σ_{k=1}^{n−1} 4 sin²(πkd/n) / μ_k                             (resistance of offset d).
 * Written with sin² rather than 1 − cos so that λ2 ≈ 4π²λ/n² of a 10⁵-ring keeps full precision.
 */

/**
 * The rate of each offset class d = 1..⌊n/2⌋ when g with these rates is invariant under the rotation
 * i → i + 1 (mod n): every edge {i, i + d} present, all at the same rate. Undefined otherwise.
 */
export function circulantOffsetRates(g: Graph, rates: Float64Array): Map<number, number> | undefined {
  const n = g.n;
  const byOffset = new Map<number, { rate: number; count: number }>();
  for (let e = 0; e < rates.length; e++) {
    const gap = g.edgeV[e]! - g.edgeU[e]!;
    const d = Math.min(gap, n - gap);
    const seen = byOffset.get(d);
    if (seen === undefined) byOffset.set(d, { rate: rates[e]!, count: 1 });
    else if (seen.rate !== rates[e]) return undefined;
    else seen.count++;
  }
  const offsetRates = new Map<number, number>();
  for (const [d, { rate, count }] of byOffset) {
    // n distinct edges {i, i + d} for d < n/2; only n/2 for d = n/2, where i + d and i − d coincide.
    if (count !== (2 * d === n ? n / 2 : n)) return undefined;
    offsetRates.set(d, rate);
  }
  return offsetRates;
}

/** 1/λ2 and the resistance of every offset class, from the formulas above. */
export function circulantSpectrum(
  n: number,
  offsetRates: ReadonlyMap<number, number>,
): { chi1: number; offsetResistance: Map<number, number> } {
  const offsets = Int32Array.from(offsetRates.keys());
  // μ_k's coefficient of sin²(πkd/n) for each offset.
  const weights = Float64Array.from(offsets, (d) => (2 * d === n ? 2 : 4) * offsetRates.get(d)!);
  // sin²(πj/n) for j = 0..n−1: the arguments only ever need (k·d) mod n, so one table serves all.
  const sinSquared = new Float64Array(n);
  for (let j = 0; j < n; j++) sinSquared[j] = Math.sin((Math.PI * j) / n) ** 2;
  const mu = new Float64Array(n);
  let lambda2 = Number.POSITIVE_INFINITY;
  for (let k = 1; k < n; k++) {
    let sum = 0;
    for (let o = 0; o < offsets.length; o++) sum += weights[o]! * sinSquared[(k * offsets[o]!) % n]!;
    mu[k] = sum;
    if (sum < lambda2) lambda2 = sum;
  }
  const offsetResistance = new Map<number, number>();
  for (const d of offsets) {
    let sum = 0;
    for (let k = 1; k < n; k++) sum += sinSquared[(k * d) % n]! / mu[k]!;
    offsetResistance.set(d, (4 * sum) / n);
  }
  return { chi1: 1 / lambda2, offsetResistance };
}
