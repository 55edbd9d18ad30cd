import { InputError } from "../../errors.ts";
import { circulantOffsetRates, circulantSpectrum } from "./circulant-spectrum.ts";
import { requireConnected } from "./connectivity.ts";
import { edgeCount, type Graph } from "./graph.ts";
import { largestEigenvalueOnZeroSum } from "./lanczos.ts";
import { LaplacianPseudoInverse } from "./laplacian-pseudo-inverse.ts";
import type { TimeVaryingGraph } from "./time-varying.ts";

/**
 * Spectral constants of gossip on a graph (reference §1): with per-edge Poisson rates λ_e, the
 * Laplacian Λ = Σ_e λ_e (e_u − e_v)(e_u − e_v)ᵀ, and
 *   χ1 = 1/λ2(Λ)                                  (inverse algebraic connectivity)
 *   χ2 = ½ · max_e (e_u − e_v)ᵀ Λ⁺ (e_u − e_v)     (half the largest edge effective resistance).
 * Both scale as 1/rate. Computed exactly (to rounding): by Fourier formulas for circulant graphs
 * (`circulant-spectrum.ts`), otherwise with dense linear algebra (`LaplacianPseudoInverse`), hence
 * the size limit below.
 */

/**
 * Largest non-circulant graph whose constants are computed. The dense n × n factor takes 8n² bytes
 * (32 MiB at 2048) and n³/3 multiply-adds: 2.5 to 5 s at 2048 on a loaded 2-core machine, where 4096
 * would take 8× longer and 128 MiB, too much for a browser tab. Sparse iterative methods are no way
 * out for χ2: it needs every edge's resistance, one linear solve each, and on a ring or torus the
 * solver needs O(n) or O(√n) iterations per solve, which is no better than dense.
 */
export const MAX_SPECTRAL_WORKERS = 2048;

/** A rate for every edge (same number), or one per edge in the graph's edge order. Positive, finite. */
export type EdgeRates = number | Float64Array;

export interface GossipConstants {
  /** Smallest non-zero eigenvalue of Λ. */
  readonly lambda2: number;
  /** 1 / lambda2. */
  readonly chi1: number;
  /** Half the largest edge effective resistance. */
  readonly chi2: number;
}

export interface LaplacianSpectrum extends GossipConstants {
  /** (e_u − e_v)ᵀ Λ⁺ (e_u − e_v) for every edge, in edge order. */
  readonly resistances: Float64Array;
}

/**
 * λ2, χ1, χ2 and every edge's resistance of a connected graph with at least two vertices. Circulant
 * graphs with rotation-invariant rates (ring, exponential, complete) use the exact Fourier formulas
 * at any size; every other graph the dense factorisation, up to MAX_SPECTRAL_WORKERS vertices.
 */
export function laplacianSpectrum(g: Graph, rates: EdgeRates, path = "topology"): LaplacianSpectrum {
  checkGossipGraph(g, path);
  const perEdge = edgeRateArray(g, rates);
  const offsetRates = circulantOffsetRates(g, perEdge);
  if (offsetRates === undefined) checkDenseSize(g, path);
  return offsetRates === undefined ? denseSpectrum(g, perEdge) : fourierSpectrum(g, offsetRates);
}

/** `laplacianSpectrum` by the dense factorisation whatever the graph (for cross-checks). */
export function denseSpectrum(g: Graph, rates: Float64Array): LaplacianSpectrum {
  const inverse = new LaplacianPseudoInverse(g, rates);
  const chi1 = largestEigenvalueOnZeroSum(g.n, (x, out) => inverse.apply(x, out));
  const resistances = new Float64Array(edgeCount(g));
  for (let e = 0; e < resistances.length; e++) resistances[e] = inverse.resistance(g.edgeU[e]!, g.edgeV[e]!);
  return assemble(chi1, resistances);
}

/** `laplacianSpectrum` by the Fourier formulas, for a circulant graph (see `circulantOffsetRates`). */
export function fourierSpectrum(g: Graph, offsetRates: ReadonlyMap<number, number>): LaplacianSpectrum {
  const n = g.n;
  const { chi1, offsetResistance } = circulantSpectrum(n, offsetRates);
  const resistances = new Float64Array(edgeCount(g));
  for (let e = 0; e < resistances.length; e++) {
    const gap = g.edgeV[e]! - g.edgeU[e]!;
    resistances[e] = offsetResistance.get(Math.min(gap, n - gap))!;
  }
  return assemble(chi1, resistances);
}

function assemble(chi1: number, resistances: Float64Array): LaplacianSpectrum {
  let largest = 0;
  for (const r of resistances) if (r > largest) largest = r;
  return { lambda2: 1 / chi1, chi1, chi2: largest / 2, resistances };
}

/** χ1, χ2 (and λ2) with per-edge rates. */
export function spectralConstants(g: Graph, rates: EdgeRates, path = "topology"): GossipConstants {
  const { lambda2, chi1, chi2 } = laplacianSpectrum(g, rates, path);
  return { lambda2, chi1, chi2 };
}

/**
 * The uniform per-edge rate at which the workers take part in `perWorkerRate` exchanges per unit
 * time on average: n·r/2 pairwise events per unit time shared equally by the |E| edges, so
 * λ_e = n·r / (2|E|). On a d-regular graph that is r/d and every worker has exactly rate r (the
 * A²CiD² convention); on other graphs high-degree workers gossip more than r and low-degree ones
 * less, as with DADAO's uniform edge sampling (λ_e = λ_mix/|E|). For other conventions pass explicit
 * per-edge rates to `spectralConstants` (e.g. `exponentialEdgeRates`).
 */
export function uniformGossipRate(g: Graph, perWorkerRate: number): number {
  const m = edgeCount(g);
  if (m === 0) throw new RangeError("a graph without edges has no gossip rate");
  return (g.n * perWorkerRate) / (2 * m);
}

/** χ1, χ2 with every edge at `uniformGossipRate(g, perWorkerRate)`. */
export function gossipConstants(g: Graph, perWorkerRate: number, path = "topology"): GossipConstants {
  checkRate(perWorkerRate, "perWorkerRate");
  checkGossipGraph(g, path);
  return spectralConstants(g, uniformGossipRate(g, perWorkerRate), path);
}

/** DADAO's normalisation L_norm = L/|E|: every edge at rate 1/|E| (one event per unit time in all). */
export function normalisedLaplacianRate(g: Graph): number {
  const m = edgeCount(g);
  if (m === 0) throw new RangeError("a graph without edges has no normalised Laplacian");
  return 1 / m;
}

export interface WorstCaseConstants {
  /** max over the sequence of χ1. */
  readonly chi1Star: number;
  /** max over the sequence of χ2. */
  readonly chi2Star: number;
  /** Each graph's own constants, in sequence order. */
  readonly perGraph: readonly GossipConstants[];
}

/**
 * DADAO's worst case over a time-varying sequence (χ1* = sup_t χ1[Λ(t)], χ2* = sup_t χ2[Λ(t)]); each
 * graph of the sequence must be connected. `ratesOf` gives the rates of each graph.
 */
export function worstCaseSpectrum(
  tv: TimeVaryingGraph,
  ratesOf: (g: Graph, index: number) => EdgeRates,
  path = "topology",
): WorstCaseConstants {
  const perGraph = tv.graphs.map((g, i) => {
    const at = `${path}.graphs[${i}]`;
    checkGossipGraph(g, at); // before `ratesOf`, which may not expect a graph without edges
    return spectralConstants(g, ratesOf(g, i), at);
  });
  return {
    chi1Star: Math.max(...perGraph.map((c) => c.chi1)),
    chi2Star: Math.max(...perGraph.map((c) => c.chi2)),
    perGraph,
  };
}

/** `worstCaseSpectrum` with each graph at its `uniformGossipRate` for `perWorkerRate`. */
export function worstCaseGossipConstants(
  tv: TimeVaryingGraph,
  perWorkerRate: number,
  path = "topology",
): WorstCaseConstants {
  checkRate(perWorkerRate, "perWorkerRate");
  return worstCaseSpectrum(tv, (g) => uniformGossipRate(g, perWorkerRate), path);
}

/** Λ as a dense row-major n × n array (for small-n oracles such as E[x(t)] = expm(−Λt/2)x(0)). */
export function denseLaplacian(g: Graph, rates: EdgeRates): Float64Array {
  const n = g.n;
  const perEdge = edgeRateArray(g, rates);
  const l = new Float64Array(n * n);
  for (let e = 0; e < perEdge.length; e++) {
    const u = g.edgeU[e]!;
    const v = g.edgeV[e]!;
    const rate = perEdge[e]!;
    l[u * n + v]! -= rate;
    l[v * n + u]! -= rate;
    l[u * n + u]! += rate;
    l[v * n + v]! += rate;
  }
  return l;
}

/**
 * Rates come from the caller's own fields (a scenario's gossip rate), which it checks with its own
 * paths; a bad one here is a programming error, hence RangeError.
 */
function edgeRateArray(g: Graph, rates: EdgeRates): Float64Array {
  const m = edgeCount(g);
  if (typeof rates === "number") {
    checkRate(rates, "edge rate");
    return new Float64Array(m).fill(rates);
  }
  if (rates.length !== m)
    throw new RangeError(`expected ${m} edge rates (one per edge), got ${rates.length}`);
  for (let e = 0; e < m; e++) checkRate(rates[e]!, `rate of edge ${e}`);
  return rates;
}

function checkRate(rate: number, what: string): void {
  if (!(rate > 0 && Number.isFinite(rate)))
    throw new RangeError(`${what} must be positive and finite, got ${rate}`);
}

/** Gossip constants exist for connected graphs of two workers or more (λ2 > 0, χ1 finite). */
function checkGossipGraph(g: Graph, path: string): void {
  if (g.n < 2) throw new InputError(path, { workers: g.n }, "at least two workers for gossip constants");
  requireConnected(g, path);
}

function checkDenseSize(g: Graph, path: string): void {
  if (g.n > MAX_SPECTRAL_WORKERS) {
    throw new InputError(
      path,
      { workers: g.n },
      `at most ${MAX_SPECTRAL_WORKERS} workers for the gossip constants χ1, χ2 of this graph (computed with dense ` +
        "linear algebra; rings, exponential and complete graphs have no limit)",
    );
  }
}
