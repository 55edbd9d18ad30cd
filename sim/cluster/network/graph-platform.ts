/**
 * Layout (b): devices are the vertices of any undirected graph and every edge is a cable (a torus, a
 * ring, a random regular graph of direct-connect accelerators). Traffic is forwarded along a shortest
 * path by hop count.
 *
 * Routes are found lazily, one BFS per (src, dst) pair on first use, stopping as soon as dst is reached,
 * and cached. All-pairs tables would cost n² entries (4·10⁹ at 65 536 devices); a BFS costs nothing
 * until asked. The BFS scans neighbours in ascending order (the CSR order) and keeps the first parent
 * found, so the route is deterministic: among shortest paths, the lowest-index neighbour wins.
 */
import { InputError } from "../../errors.ts";
import type { Graph } from "../topology/graph.ts";
import { checkDuplex, checkLinkClass, type Duplex, fillLinks, type LinkClass } from "./link-class.ts";
import { describeNicLink, downlinkOf, nicLinkCount, uplinkOf } from "./nic-links.ts";
import type { Platform } from "./platform.ts";

export interface GraphPlatformSpec {
  readonly graph: Graph;
  readonly cable: LinkClass;
  readonly nic?: LinkClass;
  readonly duplex?: Duplex;
  readonly routeCacheLimit?: number;
}

const DEFAULT_ROUTE_CACHE_LIMIT = 1 << 18;

export class GraphPlatform implements Platform {
  readonly deviceCount: number;
  readonly linkCount: number;
  readonly linkCapacity: Float64Array;
  readonly linkLatency: Float64Array;
  private readonly graph: Graph;
  private readonly duplex: Duplex;
  private readonly hasNic: boolean;
  /** First NIC link id (NIC links follow the cable links). */
  private readonly nicBase: number;
  /** Edge id of each CSR adjacency slot, so a BFS step maps to a cable without a search. */
  private readonly slotEdge: Int32Array;
  private readonly cache = new Map<number, Int32Array>();
  private readonly cacheLimit: number;
  // BFS scratch, allocated once: visit stamps avoid clearing n entries per search.
  private readonly visited: Int32Array;
  private readonly parentSlot: Int32Array;
  private readonly parentVertex: Int32Array;
  private readonly queue: Int32Array;
  private stamp = 0;

  constructor(spec: GraphPlatformSpec, path: string) {
    const duplex = spec.duplex ?? "full";
    const graph = spec.graph;
    checkLinkClass(spec.cable, `${path}.cable`);
    if (spec.nic !== undefined) checkLinkClass(spec.nic, `${path}.nic`);
    checkDuplex(duplex, path);
    if (!(graph.n >= 1)) throw new InputError(`${path}.graph.n`, graph.n, "at least one device");
    const limit = spec.routeCacheLimit ?? DEFAULT_ROUTE_CACHE_LIMIT;
    if (!(Number.isSafeInteger(limit) && limit >= 0)) {
      throw new InputError(`${path}.routeCacheLimit`, limit, "a non-negative integer");
    }
    this.graph = graph;
    this.duplex = duplex;
    this.hasNic = spec.nic !== undefined;
    this.cacheLimit = limit;
    this.deviceCount = graph.n;
    const edges = graph.edgeU.length;
    this.nicBase = duplex === "full" ? 2 * edges : edges;
    this.linkCount = this.nicBase + (spec.nic === undefined ? 0 : nicLinkCount(graph.n, duplex));
    this.linkCapacity = new Float64Array(this.linkCount);
    this.linkLatency = new Float64Array(this.linkCount);
    fillLinks(this.linkCapacity, this.linkLatency, 0, this.nicBase, spec.cable);
    if (spec.nic !== undefined)
      fillLinks(this.linkCapacity, this.linkLatency, this.nicBase, this.linkCount, spec.nic);
    this.slotEdge = buildSlotEdges(graph, path);
    this.visited = new Int32Array(graph.n);
    this.parentSlot = new Int32Array(graph.n);
    this.parentVertex = new Int32Array(graph.n);
    this.queue = new Int32Array(graph.n);
  }

  route(src: number, dst: number): Int32Array {
    const key = src * this.deviceCount + dst;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const route = this.search(src, dst);
    if (this.cache.size >= this.cacheLimit) this.cache.clear();
    if (this.cacheLimit > 0) this.cache.set(key, route);
    return route;
  }

  describeLink(link: number): string {
    if (link >= this.nicBase) return describeNicLink(this.nicBase, link, this.duplex);
    const edge = this.duplex === "full" ? link >> 1 : link;
    const u = this.graph.edgeU[edge]!;
    const v = this.graph.edgeV[edge]!;
    if (this.duplex === "half") return `cable ${u}↔${v}`;
    return link % 2 === 0 ? `cable ${u}→${v}` : `cable ${v}→${u}`;
  }

  /** BFS from src that stops when dst is labelled; returns the route's link ids. */
  private search(src: number, dst: number): Int32Array {
    const { offsets, neighbors } = this.graph;
    const visited = this.visited;
    if (this.stamp === 0x7fffffff) {
      visited.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    visited[src] = stamp;
    const queue = this.queue;
    let head = 0;
    let tail = 0;
    queue[tail++] = src;
    let found = false;
    while (head < tail && !found) {
      const x = queue[head++]!;
      const end = offsets[x + 1]!;
      for (let slot = offsets[x]!; slot < end; slot++) {
        const y = neighbors[slot]!;
        if (visited[y] === stamp) continue;
        visited[y] = stamp;
        this.parentSlot[y] = slot;
        this.parentVertex[y] = x;
        if (y === dst) {
          found = true;
          break;
        }
        queue[tail++] = y;
      }
    }
    if (!found)
      throw new InputError("route", `${src}->${dst}`, "two devices connected in the topology graph");
    let hops = 0;
    for (let v = dst; v !== src; v = this.parentVertex[v]!) hops++;
    const nic = this.hasNic ? 1 : 0;
    const route = new Int32Array(hops + 2 * nic);
    if (nic === 1) {
      route[0] = uplinkOf(this.nicBase, src, this.duplex);
      route[hops + 1] = downlinkOf(this.nicBase, dst, this.duplex);
    }
    let position = hops - 1 + nic;
    for (let v = dst; v !== src; v = this.parentVertex[v]!) {
      const from = this.parentVertex[v]!;
      const edge = this.slotEdge[this.parentSlot[v]!]!;
      // Edge e goes edgeU[e] → edgeV[e] (edgeU < edgeV) on link 2e, the other way on 2e + 1.
      route[position--] = this.duplex === "half" ? edge : from < v ? 2 * edge : 2 * edge + 1;
    }
    return route;
  }
}

/** For each CSR slot (u's neighbour v), the id of edge {u, v}; checks the CSR matches the edge list. */
function buildSlotEdges(graph: Graph, path: string): Int32Array {
  const { offsets, neighbors, edgeU, edgeV, n } = graph;
  const slotEdge = new Int32Array(neighbors.length).fill(-1);
  const place = (from: number, to: number, edge: number): void => {
    let lo = offsets[from]!;
    let hi = offsets[from + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const w = neighbors[mid]!;
      if (w === to) {
        slotEdge[mid] = edge;
        return;
      }
      if (w < to) lo = mid + 1;
      else hi = mid - 1;
    }
    throw new InputError(`${path}.graph`, `edge ${from}-${to}`, "an adjacency list containing every edge");
  };
  for (let e = 0; e < edgeU.length; e++) {
    const u = edgeU[e]!;
    const v = edgeV[e]!;
    if (!(u >= 0 && v < n && u < v))
      throw new InputError(`${path}.graph.edges[${e}]`, [u, v], "0 ≤ u < v < n");
    place(u, v, e);
    place(v, u, e);
  }
  if (slotEdge.includes(-1))
    throw new InputError(`${path}.graph`, "adjacency", "no neighbour without an edge");
  return slotEdge;
}
