import type { GossipGraph } from "../../cluster/topology/gossip-graph.ts";
import {
  edgeCount,
  type Graph,
  graphFromEdges,
  isConnected,
  spectralConstants,
} from "../../cluster/topology/index.ts";
import { edgePlan } from "../edge-plans.ts";
import { type A2cid2Constants, a2cid2Constants } from "../math/a2cid2.ts";

/**
 * A²CiD²'s constants from the exchange plans (edge-plans.ts): χ1, χ2 of the gossip Laplacian and η, α̃.
 */

/** Every graph of a gossip graph (one for a fixed topology). */
export function graphsOf(graph: GossipGraph): readonly Graph[] {
  return graph.sequence?.graphs ?? [graph.at(0)];
}

export interface ChiConstants {
  readonly chi1: number;
  readonly chi2: number;
  /** How they were obtained: one graph, the worst case over a sequence, or its time average. */
  readonly basis: "graph" | "worst-case" | "time-average";
}

/**
 * χ1, χ2 of the gossip Laplacian at `rate` exchanges per gradient per worker (reference §1). Over a
 * time-varying sequence, DADAO's worst case χ1* = max χ1, χ2* = max χ2 when every graph of it is
 * connected; when some is not (its χ1 is infinite), those of the time-averaged Laplacian (1/K) Σ Λ_k,
 * which is what the workers see over a cycle (the sequence's union is connected: run.ts checks it).
 */
export function chiConstants(graph: GossipGraph, rate: number, path = "cluster.topology"): ChiConstants {
  const graphs = graphsOf(graph);
  const plans = graphs.map((g) => edgePlan(g, rate));
  if (graphs.length === 1) {
    const { chi1, chi2 } = spectralConstants(graphs[0]!, plans[0]!.edgeRates, path);
    return { chi1, chi2, basis: "graph" };
  }
  if (graphs.every((g) => g.n >= 2 && isConnected(g))) {
    let chi1 = 0;
    let chi2 = 0;
    graphs.forEach((g, k) => {
      const c = spectralConstants(g, plans[k]!.edgeRates, `${path}.graphs[${k}]`);
      chi1 = Math.max(chi1, c.chi1);
      chi2 = Math.max(chi2, c.chi2);
    });
    return { chi1, chi2, basis: "worst-case" };
  }
  const n = graph.n;
  const rates = new Map<number, number>();
  plans.forEach((plan) => {
    const g = plan.graph;
    for (let e = 0; e < plan.edgeRates.length; e++) {
      const key = g.edgeU[e]! * n + g.edgeV[e]!;
      rates.set(key, (rates.get(key) ?? 0) + plan.edgeRates[e]! / graphs.length);
    }
  });
  const union = graphFromEdges(
    n,
    [...rates.keys()].map((key) => [Math.floor(key / n), key % n] as const),
  );
  const unionRates = new Float64Array(edgeCount(union));
  for (let e = 0; e < unionRates.length; e++)
    unionRates[e] = rates.get(union.edgeU[e]! * n + union.edgeV[e]!)!;
  const { chi1, chi2 } = spectralConstants(union, unionRates, path);
  return { chi1, chi2, basis: "time-average" };
}

/**
 * η and α̃ (reference §3.2, `compute_acid_constants`) for the run, with the scenario's overrides. The
 * spectral computation is skipped when both are given (graphs too large for it, say). With one
 * worker there is nothing to mix: η = α̃ = 0.
 */
export function runConstants(
  graph: GossipGraph,
  rate: number,
  overrides: { readonly eta?: number | undefined; readonly alphaTilde?: number | undefined },
): A2cid2Constants {
  const { eta, alphaTilde } = overrides;
  if (eta !== undefined && alphaTilde !== undefined) return { eta, alphaTilde, alpha: 0.5 };
  if (graph.n < 2) return { eta: eta ?? 0, alphaTilde: alphaTilde ?? 0, alpha: 0.5 };
  const { chi1, chi2 } = chiConstants(graph, rate);
  const c = a2cid2Constants(chi1, chi2);
  return { eta: eta ?? c.eta, alphaTilde: alphaTilde ?? c.alphaTilde, alpha: 0.5 };
}
