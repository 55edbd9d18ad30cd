/**
 * Small fixtures for the network tests: graphs built from explicit edge lists (independent of the
 * topology generators), a table-driven platform for arbitrary link/route instances, a listener that
 * keeps copies of records, and a relative-closeness check.
 */
import type { TransferListener, TransferRecord } from "../../sim/cluster/network/network.ts";
import type { Platform } from "../../sim/cluster/network/platform.ts";
import type { Graph } from "../../sim/cluster/topology/graph.ts";

/** CSR graph on n vertices from an undirected edge list (duplicates and self-loops are dropped). */
export function graphFromEdges(n: number, edges: ReadonlyArray<readonly [number, number]>): Graph {
  const keys = new Set<number>();
  for (const [a, b] of edges) if (a !== b) keys.add(Math.min(a, b) * n + Math.max(a, b));
  const sorted = [...keys].sort((x, y) => x - y);
  const edgeU = Int32Array.from(sorted, (k) => Math.floor(k / n));
  const edgeV = Int32Array.from(sorted, (k) => k % n);
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < edgeU.length; e++) {
    lists[edgeU[e]!]!.push(edgeV[e]!);
    lists[edgeV[e]!]!.push(edgeU[e]!);
  }
  const offsets = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) offsets[v + 1] = offsets[v]! + lists[v]!.length;
  const neighbors = new Int32Array(offsets[n]!);
  for (let v = 0; v < n; v++)
    neighbors.set(
      lists[v]!.sort((x, y) => x - y),
      offsets[v]!,
    );
  return { n, edgeU, edgeV, offsets, neighbors };
}

export function ringGraph(n: number): Graph {
  return graphFromEdges(
    n,
    Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as const),
  );
}

export function pathGraph(n: number): Graph {
  return graphFromEdges(
    n,
    Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const),
  );
}

/**
 * A platform given by tables: any capacities, latencies and routes (route of (s, d) is
 * routes[s * devices + d]). Lets property tests reach instances no physical layout produces.
 */
export class TablePlatform implements Platform {
  readonly deviceCount: number;
  readonly linkCount: number;
  readonly linkCapacity: Float64Array;
  readonly linkLatency: Float64Array;
  private readonly routes: Int32Array[];

  constructor(devices: number, capacity: number[], latency: number[], routes: number[][]) {
    this.deviceCount = devices;
    this.linkCount = capacity.length;
    this.linkCapacity = Float64Array.from(capacity);
    this.linkLatency = Float64Array.from(latency);
    this.routes = routes.map((r) => Int32Array.from(r));
  }

  route(src: number, dst: number): Int32Array {
    return this.routes[src * this.deviceCount + dst]!;
  }

  describeLink(link: number): string {
    return `link ${link}`;
  }
}

/** Keeps a copy of every record it is given (the network reuses the object it passes). */
export class Collect implements TransferListener {
  readonly done: TransferRecord[] = [];

  onTransferDone(t: TransferRecord): void {
    this.done.push({ ...t });
  }

  endOf(id: number): number {
    const record = this.done.find((t) => t.id === id);
    if (record === undefined) throw new Error(`transfer ${id} did not complete`);
    return record.end;
  }
}

/** |a − b| ≤ tol · max(|a|, |b|), with an absolute floor `abs` for values near zero. */
export function close(a: number, b: number, tol: number, abs = 0): boolean {
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b)) + abs;
}

export function expectClose(actual: number, expected: number, tol: number, abs = 0): void {
  if (!close(actual, expected, tol, abs)) {
    throw new Error(
      `expected ${expected}, got ${actual} (relative error ${Math.abs(actual - expected) / Math.abs(expected)})`,
    );
  }
}
