import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  connectedComponents,
  isConnected,
  requireConnected,
} from "../../sim/cluster/topology/connectivity.ts";
import { graphFromEdges } from "../../sim/cluster/topology/graph.ts";
import { InputError } from "../../sim/errors.ts";
import { connectedByEdgeList, PROPERTY } from "./graph-checks.ts";

/** Sparse random graphs, often disconnected. Self-loops are dropped after drawing (a filter on the
 * pair could never succeed for n = 1 and would spin). */
const randomGraph = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), {
      maxLength: 40,
    })
    .map((pairs) =>
      graphFromEdges(
        n,
        pairs.filter(([u, v]) => u !== v),
      ),
    ),
);

describe("connected components", () => {
  it("agree with a union-find over the edge list, and label endpoints of every edge alike", () => {
    const seen = { connected: 0, disconnected: 0 };
    fc.assert(
      fc.property(randomGraph, (g) => {
        const { count, label } = connectedComponents(g);
        expect(isConnected(g)).toBe(connectedByEdgeList(g));
        seen[isConnected(g) ? "connected" : "disconnected"]++;
        expect(new Set(label).size).toBe(count);
        for (let e = 0; e < g.edgeU.length; e++) expect(label[g.edgeU[e]!]).toBe(label[g.edgeV[e]!]);
        // Labels are numbered in order of first vertex, so they never skip ahead.
        let highest = -1;
        for (const l of label) {
          expect(l).toBeLessThanOrEqual(highest + 1);
          highest = Math.max(highest, l);
        }
      }),
      PROPERTY,
    );
    // Both outcomes were exercised.
    expect(seen.connected).toBeGreaterThan(5);
    expect(seen.disconnected).toBeGreaterThan(5);
  });

  it("handles a 10⁵-vertex path without deep recursion", () => {
    const n = 100_000;
    const g = graphFromEdges(
      n,
      Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const),
    );
    expect(connectedComponents(g).count).toBe(1);
  });
});

describe("requireConnected", () => {
  it("accepts connected graphs and a single worker", () => {
    expect(() => requireConnected(graphFromEdges(1, []), "t")).not.toThrow();
    expect(() =>
      requireConnected(
        graphFromEdges(3, [
          [0, 1],
          [1, 2],
        ]),
        "t",
      ),
    ).not.toThrow();
  });

  it("names the path and two workers in different components", () => {
    const g = graphFromEdges(20, [
      ...Array.from({ length: 16 }, (_, i) => [i, i + 1] as const),
      [18, 19] as const,
    ]);
    const attempt = () => requireConnected(g, "cluster.topology");
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(
      'cluster.topology: got {"workers":20,"components":3}, expected a connected graph (vertices 0 and 17 are in different components)',
    );
  });
});
