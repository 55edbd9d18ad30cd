import type { Graph } from "../../cluster/topology/graph.ts";
import { denseLaplacian, type EdgeRates } from "../../cluster/topology/spectra.ts";
import { type SymmetricEigen, squareSize, symmetricEigen } from "./symmetric-eigen.ts";

/**
 * Expected state of pure pairwise gossip (α = ½, no gradients; reference §6.2): every event on edge
 * (i, j) replaces x_i and x_j by their average, and the edge clocks are Poisson and independent of
 * the state, so
 *   d/dt E[x] = −½ Λ E[x]   ⇒   E[x(t)] = expm(−Λt/2)·x(0)   (exact),
 * with Λ the gossip Laplacian. The average x̄ is conserved by every event.
 */
export class GossipMeanPropagator {
  readonly n: number;
  /** Λ = V diag(λ) Vᵀ. */
  readonly eigen: SymmetricEigen;

  /** From a dense row-major n × n gossip Laplacian (symmetric, zero row sums). */
  constructor(laplacian: ArrayLike<number>) {
    this.n = squareSize(laplacian);
    this.eigen = symmetricEigen(laplacian, this.n);
  }

  static fromGraph(g: Graph, rates: EdgeRates): GossipMeanPropagator {
    return new GossipMeanPropagator(denseLaplacian(g, rates));
  }

  /**
   * E[x(t)] for x(0) = x0 (one coordinate per worker), computed as x̄·1 + V e^{−Λt/2} Vᵀ (x0 − x̄·1):
   * the same as V e^{−Λt/2} Vᵀ x0 in exact arithmetic, but the average comes out exact and the
   * limit is x̄·1 to rounding whatever the error of the null eigenvector.
   */
  mean(x0: ArrayLike<number>, t: number): Float64Array {
    const n = this.n;
    if (x0.length !== n) throw new RangeError(`expected ${n} entries, got ${x0.length}`);
    if (!(t >= 0 && Number.isFinite(t))) throw new RangeError(`time must be ≥ 0 and finite, got ${t}`);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x0[i]!;
    const average = sum / n;
    const { values, vectors } = this.eigen;
    const out = new Float64Array(n).fill(average);
    for (let k = 0; k < n; k++) {
      let projection = 0;
      for (let i = 0; i < n; i++) projection += vectors[i * n + k]! * (x0[i]! - average);
      const weight = projection * Math.exp((-values[k]! * t) / 2);
      if (weight === 0) continue;
      for (let i = 0; i < n; i++) out[i]! += weight * vectors[i * n + k]!;
    }
    return out;
  }
}

/** E[x(t)] = expm(−Λt/2)·x0 for a dense row-major Laplacian (one decomposition per call). */
export function expectedMean(laplacian: ArrayLike<number>, x0: ArrayLike<number>, t: number): Float64Array {
  return new GossipMeanPropagator(laplacian).mean(x0, t);
}
