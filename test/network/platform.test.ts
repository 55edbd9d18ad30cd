import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPlatform } from "../../sim/cluster/network/build-platform.ts";
import type { Platform } from "../../sim/cluster/network/platform.ts";
import { routeBottleneck, routeLatency } from "../../sim/cluster/network/route-metrics.ts";
import type { Graph } from "../../sim/cluster/topology/graph.ts";
import { InputError } from "../../sim/errors.ts";
import { graphFromEdges, pathGraph, ringGraph } from "./helpers.ts";

const fast = { bandwidth: 100e9, latency: 1e-6 };
const slow = { bandwidth: 10e9, latency: 5e-6 };

/** Hop distances from src by a plain BFS, to check route lengths independently of the platform. */
function distances(g: Graph, src: number): number[] {
  const dist = new Array<number>(g.n).fill(-1);
  dist[src] = 0;
  const queue = [src];
  for (let i = 0; i < queue.length; i++) {
    const x = queue[i]!;
    for (let k = g.offsets[x]!; k < g.offsets[x + 1]!; k++) {
      const y = g.neighbors[k]!;
      if (dist[y] === -1) {
        dist[y] = dist[x]! + 1;
        queue.push(y);
      }
    }
  }
  return dist;
}

/** The device sequence a full-duplex cable route walks through (link 2e: u→v, 2e+1: v→u). */
function walk(g: Graph, src: number, route: Int32Array): number[] {
  const path = [src];
  for (const link of route) {
    const e = link >> 1;
    const [from, to] = link % 2 === 0 ? [g.edgeU[e]!, g.edgeV[e]!] : [g.edgeV[e]!, g.edgeU[e]!];
    expect(from).toBe(path[path.length - 1]);
    path.push(to);
  }
  return path;
}

describe("switch platform", () => {
  it("routes through the source's uplink and the destination's downlink", () => {
    const p = buildPlatform({ kind: "switch", devices: 4, nic: slow });
    expect(p.linkCount).toBe(8);
    expect(Array.from(p.route(1, 3))).toEqual([2, 7]);
    expect(p.describeLink(2)).toBe("uplink of device 1");
    expect(p.describeLink(7)).toBe("downlink of device 3");
    expect(routeLatency(p, p.route(1, 3))).toBe(2 * slow.latency);
    expect(routeBottleneck(p, p.route(1, 3))).toBe(slow.bandwidth);
  });

  it("in half duplex, a device's uplink and downlink are one link", () => {
    const p = buildPlatform({ kind: "switch", devices: 4, nic: slow, duplex: "half" });
    expect(p.linkCount).toBe(4);
    expect(Array.from(p.route(1, 3))).toEqual([1, 3]);
    expect(Array.from(p.route(3, 1))).toEqual([3, 1]);
  });

  it("rejects bad link classes and sizes with an InputError naming the field", () => {
    expect(() => buildPlatform({ kind: "switch", devices: 4, nic: { bandwidth: 0, latency: 0 } })).toThrow(
      /platform\.nic\.bandwidth/,
    );
    expect(() => buildPlatform({ kind: "switch", devices: 4, nic: { bandwidth: 1, latency: -1 } })).toThrow(
      InputError,
    );
    expect(() => buildPlatform({ kind: "switch", devices: 0, nic: slow })).toThrow(/platform\.devices/);
  });
});

describe("graph platform", () => {
  it("routes along a shortest path, lowest-index neighbour first on ties", () => {
    const g = ringGraph(6);
    const p = buildPlatform({ kind: "graph", graph: g, cable: slow });
    // 0 → 3 has two shortest paths; BFS from 0 reaches 1 before 5.
    expect(walk(g, 0, p.route(0, 3))).toEqual([0, 1, 2, 3]);
    expect(walk(g, 3, p.route(3, 0))).toEqual([3, 2, 1, 0]);
    expect(walk(g, 0, p.route(0, 5))).toEqual([0, 5]);
    expect(routeLatency(p, p.route(0, 3))).toBeCloseTo(3 * slow.latency, 15);
  });

  it("adds the NIC links at both ends when the devices have NICs", () => {
    const g = pathGraph(3);
    const p = buildPlatform({ kind: "graph", graph: g, cable: fast, nic: slow });
    const route = p.route(0, 2);
    expect(route.length).toBe(4);
    expect(p.describeLink(route[0]!)).toBe("uplink of device 0");
    expect(p.describeLink(route[1]!)).toBe("cable 0→1");
    expect(p.describeLink(route[2]!)).toBe("cable 1→2");
    expect(p.describeLink(route[3]!)).toBe("downlink of device 2");
    expect(routeBottleneck(p, route)).toBe(slow.bandwidth);
  });

  it("shares one link between both directions of a cable in half duplex", () => {
    const p = buildPlatform({ kind: "graph", graph: pathGraph(2), cable: slow, duplex: "half" });
    expect(p.linkCount).toBe(1);
    expect(Array.from(p.route(0, 1))).toEqual(Array.from(p.route(1, 0)));
  });

  it("finds shortest, connected, deterministic routes on random connected graphs", () => {
    const graphs = fc.integer({ min: 2, max: 30 }).chain((n) =>
      fc
        .tuple(
          // A random spanning tree keeps it connected; extra random edges make alternatives.
          fc.array(fc.nat(), { minLength: n - 1, maxLength: n - 1 }),
          fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 2 * n }),
        )
        .map(([parents, extra]) =>
          graphFromEdges(n, [...parents.map((r, i) => [i + 1, r % (i + 1)] as const), ...extra]),
        ),
    );
    fc.assert(
      fc.property(graphs, fc.nat(), fc.nat(), (g, a, b) => {
        const src = a % g.n;
        const dst = (src + 1 + (b % (g.n - 1))) % g.n;
        const p = buildPlatform({ kind: "graph", graph: g, cable: slow, routeCacheLimit: 4 });
        const route = Array.from(p.route(src, dst));
        const path = walk(g, src, Int32Array.from(route));
        expect(path[path.length - 1]).toBe(dst);
        expect(route.length).toBe(distances(g, src)[dst]);
        // A fresh platform (empty cache) finds the very same route.
        const again = buildPlatform({ kind: "graph", graph: g, cable: slow });
        expect(Array.from(again.route(src, dst))).toEqual(route);
      }),
      { seed: 314, numRuns: 300 },
    );
  });

  it("reports a route between disconnected devices as an InputError", () => {
    const g = graphFromEdges(4, [
      [0, 1],
      [2, 3],
    ]);
    const p = buildPlatform({ kind: "graph", graph: g, cable: slow });
    expect(() => p.route(0, 3)).toThrow(InputError);
  });

  it("handles 65 536 devices without all-pairs tables", () => {
    const n = 65_536;
    const p = buildPlatform({ kind: "graph", graph: ringGraph(n), cable: slow });
    expect(p.linkCount).toBe(2 * n);
    expect(p.route(0, n / 2).length).toBe(n / 2);
    expect(p.route(10, 9).length).toBe(1);
    const s = buildPlatform({ kind: "switch", devices: n, nic: slow });
    expect(Array.from(s.route(n - 1, 0))).toEqual([2 * (n - 1), 1]);
  });
});

describe("hierarchical platform", () => {
  function allRoutes(p: Platform): Map<string, number[]> {
    const routes = new Map<string, number[]>();
    for (let s = 0; s < p.deviceCount; s++) {
      for (let d = 0; d < p.deviceCount; d++) if (s !== d) routes.set(`${s}-${d}`, Array.from(p.route(s, d)));
    }
    return routes;
  }

  it("uses one intra-node link inside a node and two NIC links between nodes", () => {
    const p = buildPlatform({
      kind: "hierarchical",
      nodes: 3,
      gpusPerNode: 4,
      intraNode: fast,
      interNode: slow,
    });
    expect(p.deviceCount).toBe(12);
    expect(p.linkCount).toBe(2 * 12 + 3 * 4 * 3);
    expect(routeBottleneck(p, p.route(4, 7))).toBe(fast.bandwidth);
    expect(routeLatency(p, p.route(4, 7))).toBe(fast.latency);
    expect(p.route(4, 7).length).toBe(1);
    expect(Array.from(p.route(3, 4))).toEqual([6, 9]);
    expect(routeBottleneck(p, p.route(3, 4))).toBe(slow.bandwidth);
    expect(p.describeLink(p.route(5, 6)[0]!)).toBe("intra-node link 1→2 of node 1");
  });

  it("gives every ordered intra-node pair its own link in full duplex, every pair one in half", () => {
    for (const duplex of ["full", "half"] as const) {
      const p = buildPlatform({
        kind: "hierarchical",
        nodes: 2,
        gpusPerNode: 5,
        intraNode: fast,
        interNode: slow,
        duplex,
      });
      const intra = new Map<number, string>();
      for (const [pair, route] of allRoutes(p)) {
        const [s, d] = pair.split("-").map(Number) as [number, number];
        if (Math.floor(s / 5) !== Math.floor(d / 5)) continue;
        expect(route.length).toBe(1);
        const link = route[0]!;
        expect(link).toBeGreaterThanOrEqual(duplex === "full" ? 20 : 10);
        expect(link).toBeLessThan(p.linkCount);
        const key = duplex === "full" ? pair : [s, d].sort((x, y) => x - y).join("-");
        const owner = intra.get(link);
        if (owner !== undefined) expect(owner).toBe(key);
        intra.set(link, key);
      }
      // Every intra-node link id is used, so link statistics have no dead entries.
      expect(intra.size).toBe(p.linkCount - (duplex === "full" ? 20 : 10));
    }
  });
});
