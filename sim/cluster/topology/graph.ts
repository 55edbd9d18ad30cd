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

/** True when u and v are adjacent (binary search in u's sorted neighbour list). */
export function hasEdge(g: Graph, u: number, v: number): boolean {
  let lo = g.offsets[u]!;
  let hi = g.offsets[u + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const w = g.neighbors[mid]!;
    if (w === v) return true;
    if (w < v) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** The sorted neighbours of v, as a view into the CSR array (no copy; do not modify). */
/**
 * A uniformly random neighbour of v (one `int` draw), or −1 for an isolated v: the one place that
 * picks a neighbour from the CSR arrays (gossip schedules with uniform rates, gossip traffic).
 */
export function uniformNeighbor(g: Graph, v: number, rng: { int(n: number): number }): number {
  const first = g.offsets[v]!;
  const degree = g.offsets[v + 1]! - first;
  return degree === 0 ? -1 : g.neighbors[first + rng.int(degree)]!;
}

export function neighborsOf(g: Graph, v: number): Int32Array {
  return g.neighbors.subarray(g.offsets[v]!, g.offsets[v + 1]!);
}

/**
 * Builds a graph from unordered pairs, in any order and orientation; duplicate pairs are merged.
 * Pairs must be valid: integers in [0, n), no self-loops (a RangeError otherwise: user input is
 * checked, with its field path, before it gets here).
 */
export function graphFromEdges(n: number, pairs: Iterable<readonly [number, number]>): Graph {
  const builder = new EdgeListBuilder(n);
  for (const [u, v] of pairs) builder.add(u, v);
  return builder.build();
}

/**
 * Collects edges into growable typed arrays, then sorts, merges duplicates and builds the CSR in
 * O(m log m): generators for 10⁵ workers push millions of edges, so no object per edge.
 */
export class EdgeListBuilder {
  readonly n: number;
  private us = new Int32Array(16);
  private vs = new Int32Array(16);
  private count = 0;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`vertex count must be a non-negative integer, got ${n}`);
    this.n = n;
  }

  /** Pushes edges added so far (before merging duplicates). */
  get size(): number {
    return this.count;
  }

  add(u: number, v: number): void {
    const n = this.n;
    if (!Number.isInteger(u) || !Number.isInteger(v) || u < 0 || v < 0 || u >= n || v >= n) {
      throw new RangeError(`edge (${u}, ${v}) is outside vertices 0..${n - 1}`);
    }
    if (u === v) throw new RangeError(`self-loop on vertex ${u}`);
    if (this.count === this.us.length) {
      const grown = this.us.length * 2;
      const us = new Int32Array(grown);
      const vs = new Int32Array(grown);
      us.set(this.us);
      vs.set(this.vs);
      this.us = us;
      this.vs = vs;
    }
    this.us[this.count] = Math.min(u, v);
    this.vs[this.count] = Math.max(u, v);
    this.count++;
  }

  build(): Graph {
    const n = this.n;
    // Sort by the key u·n + v, exact in a double for n < 9·10⁷, with a typed-array numeric sort.
    const keys = new Float64Array(this.count);
    let sorted = true;
    for (let e = 0; e < this.count; e++) {
      keys[e] = this.us[e]! * n + this.vs[e]!;
      if (e > 0 && keys[e]! < keys[e - 1]!) sorted = false;
    }
    // Most generators emit edges in order already; skipping the sort saves seconds on 10⁷ edges.
    if (!sorted) keys.sort();
    let m = 0;
    for (let e = 0; e < this.count; e++) if (e === 0 || keys[e] !== keys[e - 1]) keys[m++] = keys[e]!;
    const edgeU = new Int32Array(m);
    const edgeV = new Int32Array(m);
    const offsets = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) {
      const u = Math.floor(keys[e]! / n);
      const v = keys[e]! - u * n;
      edgeU[e] = u;
      edgeV[e] = v;
      offsets[u + 1]!++;
      offsets[v + 1]!++;
    }
    for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
    // Edges sorted by (u, v) visit each vertex's smaller neighbours (as v) in ascending order before
    // its larger ones (as u), also ascending, so the lists come out sorted without a second sort.
    const neighbors = new Int32Array(2 * m);
    const next = offsets.slice(0, n);
    for (let e = 0; e < m; e++) {
      const u = edgeU[e]!;
      const v = edgeV[e]!;
      neighbors[next[u]!++] = v;
      neighbors[next[v]!++] = u;
    }
    return { n, edgeU, edgeV, offsets, neighbors };
  }
}
