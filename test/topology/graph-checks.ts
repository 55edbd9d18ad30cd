import type { Graph } from "../../sim/cluster/topology/graph.ts";

/**
 * Everything the Graph contract promises, checked from first principles (no library helper is
 * trusted): edges u < v, strictly increasing (so no duplicates), no self-loops, indices in range; CSR
 * offsets monotone and ending at 2|E|; every neighbour list sorted; and the adjacency exactly the
 * edge list, both ways round (which makes it symmetric). Returns the problems found, [] if none.
 */
export function graphViolations(g: Graph): string[] {
  const problems: string[] = [];
  const n = g.n;
  const m = g.edgeU.length;
  if (g.edgeV.length !== m) problems.push(`edgeU has ${m} entries, edgeV ${g.edgeV.length}`);
  if (g.offsets.length !== n + 1) problems.push(`offsets has ${g.offsets.length} entries for n = ${n}`);
  const edges = new Set<number>();
  for (let e = 0; e < m; e++) {
    const u = g.edgeU[e]!;
    const v = g.edgeV[e]!;
    if (!(u >= 0 && v < n)) problems.push(`edge ${e} = (${u}, ${v}) out of range`);
    if (u === v) problems.push(`edge ${e} is a self-loop on ${u}`);
    if (!(u < v)) problems.push(`edge ${e} = (${u}, ${v}) not ordered u < v`);
    if (e > 0) {
      const pu = g.edgeU[e - 1]!;
      const pv = g.edgeV[e - 1]!;
      if (pu > u || (pu === u && pv >= v)) problems.push(`edge ${e} = (${u}, ${v}) not after (${pu}, ${pv})`);
    }
    edges.add(u * n + v);
  }
  if (edges.size !== m) problems.push(`${m - edges.size} duplicate edges`);
  if (g.offsets[0] !== 0) problems.push(`offsets[0] = ${g.offsets[0]}`);
  if (g.offsets[n] !== 2 * m) problems.push(`offsets[n] = ${g.offsets[n]}, expected 2|E| = ${2 * m}`);
  if (g.neighbors.length !== 2 * m)
    problems.push(`neighbors has ${g.neighbors.length} entries, expected ${2 * m}`);
  let adjacencyPairs = 0;
  for (let v = 0; v < n && problems.length === 0; v++) {
    const from = g.offsets[v]!;
    const to = g.offsets[v + 1]!;
    if (to < from) problems.push(`offsets decrease at ${v}`);
    for (let k = from; k < to; k++) {
      const w = g.neighbors[k]!;
      if (k > from && g.neighbors[k - 1]! >= w) problems.push(`neighbours of ${v} not strictly increasing`);
      if (w === v) problems.push(`${v} is its own neighbour`);
      if (!edges.has(Math.min(v, w) * n + Math.max(v, w)))
        problems.push(`${w} listed next to ${v} without an edge`);
      adjacencyPairs++;
    }
  }
  // Every listed pair is an edge, the lists hold no repeats and there are 2|E| entries: so each edge
  // appears exactly once in each of its two endpoints' lists.
  if (problems.length === 0 && adjacencyPairs !== 2 * m)
    problems.push(`adjacency has ${adjacencyPairs} entries`);
  return problems;
}

export function degrees(g: Graph): number[] {
  return Array.from({ length: g.n }, (_, v) => g.offsets[v + 1]! - g.offsets[v]!);
}

/** Connectivity by a plain DFS over the edge list (independent of the library's BFS). */
export function connectedByEdgeList(g: Graph): boolean {
  const parent = Array.from({ length: g.n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  let components = g.n;
  for (let e = 0; e < g.edgeU.length; e++) {
    const a = find(g.edgeU[e]!);
    const b = find(g.edgeV[e]!);
    if (a !== b) {
      parent[a] = b;
      components--;
    }
  }
  return components <= 1;
}

/** The edge list as "u-v" strings, for readable comparisons. */
export function edgeStrings(g: Graph): string[] {
  return Array.from(g.edgeU, (u, e) => `${u}-${g.edgeV[e]}`);
}

/** Property-test settings: fixed seed so a failure replays, and enough runs to cover n = 1..40. */
export const PROPERTY = { seed: 20251121, numRuns: 150 } as const;
