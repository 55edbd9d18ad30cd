import type { Graph } from "./graph.ts";
import { graphAt, type TimeVaryingGraph } from "./time-varying.ts";

/**
 * The logical graph of who may exchange with whom, as schedules see it: one graph, or a sequence that
 * changes every `period` seconds (see time-varying.ts). Schedules ask for the graph in force now.
 */
export interface GossipGraph {
  readonly n: number;
  /** The graph in force at simulated time `t`. */
  at(t: number): Graph;
  /**
   * The sequence behind `at` when the topology varies in time: for constants that take a worst case
   * over every graph a run may see (DADAO's χ₁*, χ₂*). Absent for a fixed graph.
   */
  readonly sequence?: TimeVaryingGraph;
}

export function gossipGraphOf(topology: Graph | TimeVaryingGraph): GossipGraph {
  if ("edgeU" in topology) return { n: topology.n, at: () => topology };
  const tv = topology;
  return { n: tv.graphs[0]!.n, at: (t) => graphAt(tv, t), sequence: tv };
}
