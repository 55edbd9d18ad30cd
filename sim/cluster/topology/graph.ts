/**
 * An undirected simple graph on vertices 0..n-1, stored compactly so that graphs of 10⁵ vertices
 * cost a few megabytes: the edge list (u < v) plus a CSR adjacency for neighbour look-ups.
 */
export interface Graph {
  readonly n: number;
  /** Edge e joins edgeU[e] and edgeV[e], with edgeU[e] < edgeV[e]; no duplicates, no self-loops. */
  readonly edgeU: Int32Array;
  readonly edgeV: Int32Array;
  /** Neighbours of v are neighbors[offsets[v] .. offsets[v+1]), sorted ascending. */
  readonly offsets: Int32Array;
  readonly neighbors: Int32Array;
}

export function edgeCount(g: Graph): number {
  return g.edgeU.length;
}

export function degree(g: Graph, v: number): number {
  return g.offsets[v + 1]! - g.offsets[v]!;
}
