import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  degree,
  EdgeListBuilder,
  edgeCount,
  type Graph,
  graphFromEdges,
  hasEdge,
  neighborsOf,
} from "../../sim/cluster/topology/graph.ts";
import { degrees, graphViolations, PROPERTY } from "./graph-checks.ts";

describe("graphFromEdges", () => {
  it("sorts, orients and merges any list of pairs into a valid graph with exactly those adjacencies", () => {
    const pairs = fc.integer({ min: 2, max: 30 }).chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(
          fc
            .tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }))
            .filter(([u, v]) => u !== v),
          { maxLength: 80 },
        ),
      ),
    );
    fc.assert(
      fc.property(pairs, ([n, list]) => {
        const g = graphFromEdges(n, list);
        expect(graphViolations(g)).toEqual([]);
        const wanted = new Set(list.map(([u, v]) => `${Math.min(u, v)}-${Math.max(u, v)}`));
        expect(edgeCount(g)).toBe(wanted.size);
        for (let u = 0; u < n; u++) {
          for (let v = 0; v < n; v++) {
            expect(hasEdge(g, u, v)).toBe(wanted.has(`${Math.min(u, v)}-${Math.max(u, v)}`));
          }
        }
      }),
      PROPERTY,
    );
  });

  it("builds the CSR lists a small example needs", () => {
    const g = graphFromEdges(5, [
      [3, 1],
      [0, 4],
      [1, 3],
      [4, 1],
      [2, 0],
    ]);
    expect(Array.from(g.edgeU)).toEqual([0, 0, 1, 1]);
    expect(Array.from(g.edgeV)).toEqual([2, 4, 3, 4]);
    expect(Array.from(neighborsOf(g, 1))).toEqual([3, 4]);
    expect(Array.from(neighborsOf(g, 4))).toEqual([0, 1]);
    expect(degrees(g)).toEqual([2, 2, 1, 1, 2]);
    expect(degree(g, 0)).toBe(2);
  });

  it("rejects self-loops and out-of-range vertices (programming errors)", () => {
    expect(() => graphFromEdges(3, [[1, 1]])).toThrow(RangeError);
    expect(() => graphFromEdges(3, [[0, 3]])).toThrow(RangeError);
    expect(() => graphFromEdges(3, [[-1, 2]])).toThrow(RangeError);
    expect(() => graphFromEdges(3, [[0.5, 2]])).toThrow(RangeError);
  });

  it("sorts edges pushed out of order (the builder's sort is not skipped by mistake)", () => {
    const builder = new EdgeListBuilder(6);
    for (const [u, v] of [
      [4, 5],
      [0, 1],
      [2, 3],
      [1, 0],
    ] as const)
      builder.add(u, v);
    const g = builder.build();
    expect(Array.from(g.edgeU)).toEqual([0, 2, 4]);
    expect(graphViolations(g)).toEqual([]);
  });
});

describe("the graph checker used by every generator test", () => {
  // It must be able to fail: corrupt a valid graph in each way and expect a complaint.
  const valid = () =>
    graphFromEdges(4, [
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  const corruptions: [string, (g: Graph) => Graph][] = [
    ["reversed edge", (g) => ({ ...g, edgeU: Int32Array.of(1, 1, 2), edgeV: Int32Array.of(0, 2, 3) })],
    ["duplicate edge", (g) => ({ ...g, edgeU: Int32Array.of(0, 0, 2), edgeV: Int32Array.of(1, 1, 3) })],
    ["self-loop", (g) => ({ ...g, edgeU: Int32Array.of(0, 1, 2), edgeV: Int32Array.of(1, 1, 3) })],
    ["unsorted neighbours", (g) => ({ ...g, neighbors: Int32Array.of(1, 2, 0, 3, 1, 2) })],
    ["asymmetric adjacency", (g) => ({ ...g, neighbors: Int32Array.of(1, 0, 2, 1, 3, 1) })],
    ["wrong offsets", (g) => ({ ...g, offsets: Int32Array.of(0, 1, 3, 4, 5) })],
  ];
  for (const [name, corrupt] of corruptions) {
    it(`notices a ${name}`, () => {
      expect(graphViolations(valid())).toEqual([]);
      expect(graphViolations(corrupt(valid())).length).toBeGreaterThan(0);
    });
  }
});
