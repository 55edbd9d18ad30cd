import type { Graph } from "./graph.ts";

/**
 * The logical graph of who may exchange with whom, possibly changing over time (a sequence of graphs
 * on the same workers, each holding for `period` seconds, cycling).
 */
export interface GossipGraph {
  readonly n: number;
  /** The graph in force at simulated time `t`. */
  at(t: number): Graph;
}

export function staticGossipGraph(graph: Graph): GossipGraph {
  return { n: graph.n, at: () => graph };
}

export function cyclingGossipGraph(graphs: readonly Graph[], period: number): GossipGraph {
  const first = graphs[0];
  if (first === undefined) throw new RangeError("a time-varying graph needs at least one graph");
  return {
    n: first.n,
    at: (t) => graphs[Math.floor(t / period) % graphs.length]!,
  };
}
