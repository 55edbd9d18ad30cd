import { EdgeListBuilder, edgeCount, type Graph } from "./graph.ts";
import { checkWorkerCount } from "./input-checks.ts";

/**
 * The "exponential" graph of AD-PSGD, SGP and the A²CiD² code: worker i is linked to i ± 2^k (mod n)
 * for k = 0..⌊log2(n−1)⌋, duplicates merged. Any n is accepted (the A²CiD² code asks for a power of
 * two, where the +n/2 and −n/2 neighbours coincide).
 */
export function exponentialGraph(n: number, path = "topology"): Graph {
  checkWorkerCount(n, path);
  const builder = new EdgeListBuilder(n);
  for (const offset of exponentialOffsets(n)) {
    for (let i = 0; i < n; i++) {
      const j = (i + offset) % n;
      if (j !== i) builder.add(i, j);
    }
  }
  return builder.build();
}

/** 1, 2, 4, …, the largest power of two below n. */
export function exponentialOffsets(n: number): number[] {
  const offsets: number[] = [];
  for (let step = 1; step < n; step *= 2) offsets.push(step);
  return offsets;
}

/**
 * Per-edge gossip rates of the A²CiD² code (`compute_laplacian`: Λ = r·(I − W) with
 * W_ij = #occurrences of j in i's neighbour list / list length). The list i ± 2^k has 2(K+1) entries
 * and may name a neighbour twice (i + n/2 = i − n/2 for even n), so that neighbour's edge gets twice
 * the rate of the others. Every worker still takes part in exactly `perWorkerRate` exchanges per unit
 * time, but the rates are not uniform, and the χ's differ from uniform λ_ij = r/degree: for n = 16,
 * χ1 = 2.000 with these rates (the A²CiD² table) against 1.75 with uniform ones.
 */
export function exponentialEdgeRates(g: Graph, perWorkerRate: number): Float64Array {
  const n = g.n;
  const offsets = exponentialOffsets(n);
  const listLength = 2 * offsets.length;
  const rates = new Float64Array(edgeCount(g));
  for (let e = 0; e < rates.length; e++) {
    const forward = g.edgeV[e]! - g.edgeU[e]!;
    let occurrences = 0;
    for (const offset of offsets) {
      if (offset === forward) occurrences++;
      if (offset === n - forward) occurrences++;
    }
    if (occurrences === 0) {
      throw new RangeError(
        `edge (${g.edgeU[e]}, ${g.edgeV[e]}) is not an exponential-graph edge for n = ${n}`,
      );
    }
    rates[e] = (perWorkerRate * occurrences) / listLength;
  }
  return rates;
}
