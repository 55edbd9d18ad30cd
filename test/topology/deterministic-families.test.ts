import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  completeGraph,
  hypercubeGraph,
  pathGraph,
  ringGraph,
  starGraph,
} from "../../sim/cluster/topology/classic-graphs.ts";
import { customGraph } from "../../sim/cluster/topology/custom-edges.ts";
import { exponentialGraph } from "../../sim/cluster/topology/exponential-graph.ts";
import { edgeCount, hasEdge } from "../../sim/cluster/topology/graph.ts";
import { hierarchicalGraph } from "../../sim/cluster/topology/hierarchical.ts";
import { mostSquareDivisor, torusGraph } from "../../sim/cluster/topology/torus.ts";
import { InputError } from "../../sim/errors.ts";
import { connectedByEdgeList, degrees, edgeStrings, graphViolations, PROPERTY } from "./graph-checks.ts";

const workers = fc.integer({ min: 1, max: 40 });

describe("ring", () => {
  it("is a valid connected graph with n edges (1 for n = 2, none for n = 1), every degree 2 from n = 3", () => {
    fc.assert(
      fc.property(workers, (n) => {
        const g = ringGraph(n);
        expect(graphViolations(g)).toEqual([]);
        expect(connectedByEdgeList(g)).toBe(true);
        expect(edgeCount(g)).toBe(n >= 3 ? n : n - 1);
        if (n >= 3) expect(degrees(g).every((d) => d === 2)).toBe(true);
        for (let i = 0; i < n; i++) if (n >= 2) expect(hasEdge(g, i, (i + 1) % n)).toBe(true);
      }),
      PROPERTY,
    );
  });
});

describe("path and star", () => {
  it("path: n − 1 edges i–(i+1), connected, ends of degree 1", () => {
    fc.assert(
      fc.property(workers, (n) => {
        const g = pathGraph(n);
        expect(graphViolations(g)).toEqual([]);
        expect(connectedByEdgeList(g)).toBe(true);
        expect(edgeStrings(g)).toEqual(Array.from({ length: n - 1 }, (_, i) => `${i}-${i + 1}`));
      }),
      PROPERTY,
    );
  });

  it("star: worker 0 has degree n − 1, every other worker degree 1", () => {
    fc.assert(
      fc.property(workers, (n) => {
        const g = starGraph(n);
        expect(graphViolations(g)).toEqual([]);
        expect(connectedByEdgeList(g)).toBe(true);
        expect(degrees(g)).toEqual(Array.from({ length: n }, (_, i) => (i === 0 ? n - 1 : 1)));
      }),
      PROPERTY,
    );
  });
});

describe("complete", () => {
  it("has n(n−1)/2 edges and every pair adjacent", () => {
    fc.assert(
      fc.property(workers, (n) => {
        const g = completeGraph(n);
        expect(graphViolations(g)).toEqual([]);
        expect(edgeCount(g)).toBe((n * (n - 1)) / 2);
        expect(degrees(g).every((d) => d === n - 1)).toBe(true);
      }),
      PROPERTY,
    );
  });

  it("refuses a graph too large to hold, naming the topology", () => {
    expect(() => completeGraph(100_000, "cluster.topology")).toThrow(/^cluster\.topology: got .*edges/);
  });
});

describe("hypercube", () => {
  it("for n = 2^k: n·k/2 edges, degree k, neighbours differ in one bit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), (k) => {
        const n = 2 ** k;
        const g = hypercubeGraph(n);
        expect(graphViolations(g)).toEqual([]);
        expect(connectedByEdgeList(g)).toBe(true);
        expect(edgeCount(g)).toBe((n * k) / 2);
        expect(degrees(g).every((d) => d === k)).toBe(true);
        for (let e = 0; e < edgeCount(g); e++) {
          const x = g.edgeU[e]! ^ g.edgeV[e]!;
          expect(x & (x - 1)).toBe(0);
        }
      }),
      PROPERTY,
    );
  });

  it("rejects other sizes with an InputError naming the path, the count and the nearest sizes", () => {
    const attempt = () => hypercubeGraph(12, "cluster.topology");
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(
      "cluster.topology: got 12, expected a power-of-two number of workers for a hypercube (nearest: 8 or 16)",
    );
    fc.assert(
      fc.property(
        workers.filter((n) => (n & (n - 1)) !== 0),
        (n) => {
          expect(() => hypercubeGraph(n)).toThrow(InputError);
        },
      ),
      PROPERTY,
    );
  });
});

describe("torus", () => {
  it("has 2n edges and degree 4 when rows, cols ≥ 3, and wraps around", () => {
    const dims = fc.tuple(fc.integer({ min: 3, max: 8 }), fc.integer({ min: 3, max: 8 }));
    fc.assert(
      fc.property(dims, ([rows, cols]) => {
        const n = rows * cols;
        const g = torusGraph(n, { rows, cols });
        expect(graphViolations(g)).toEqual([]);
        expect(connectedByEdgeList(g)).toBe(true);
        expect(edgeCount(g)).toBe(2 * n);
        expect(degrees(g).every((d) => d === 4)).toBe(true);
        // Wrap-around in both directions: the last column meets the first, the last row the first.
        expect(hasEdge(g, cols - 1, 0)).toBe(true);
        expect(hasEdge(g, (rows - 1) * cols, 0)).toBe(true);
      }),
      PROPERTY,
    );
  });

  it("defaults to the most square factorisation, and thin shapes degrade without duplicates", () => {
    fc.assert(
      fc.property(workers, (n) => {
        const g = torusGraph(n);
        expect(graphViolations(g)).toEqual([]);
        expect(connectedByEdgeList(g)).toBe(true);
        const rows = mostSquareDivisor(n);
        expect(n % rows).toBe(0);
        expect(rows * rows).toBeLessThanOrEqual(n);
        // No divisor strictly between rows and √n.
        for (let r = rows + 1; r * r <= n; r++) expect(n % r).not.toBe(0);
        // Edges: rows·cols per dimension of length ≥ 3, n/2·… fewer when a dimension is 2, none when 1.
        const cols = n / rows;
        const along = (len: number, other: number) => (len >= 3 ? len * other : len === 2 ? other : 0);
        expect(edgeCount(g)).toBe(along(cols, rows) + along(rows, cols));
      }),
      PROPERTY,
    );
    expect(edgeStrings(torusGraph(12))).toEqual(edgeStrings(torusGraph(12, { rows: 3, cols: 4 })));
    expect(edgeStrings(torusGraph(7))).toEqual(edgeStrings(ringGraph(7)));
  });

  it("rejects rows × cols ≠ n with the field that is wrong", () => {
    expect(() => torusGraph(12, { rows: 3, cols: 5 }, "cluster.topology")).toThrow(
      "cluster.topology.cols: got 5, expected 4 so that rows × cols = 12 workers",
    );
    expect(() => torusGraph(12, { rows: 5 }, "cluster.topology")).toThrow(
      "cluster.topology.rows: got 5, expected a divisor of 12 (the number of workers)",
    );
    expect(() => torusGraph(12, { cols: 7 }, "t")).toThrow(/^t\.cols: got 7/);
    expect(() => torusGraph(12, { rows: 0 }, "t")).toThrow(/^t\.rows: got 0, expected an integer in 1\.\.12/);
    expect(() => torusGraph(12, { rows: 2.5 }, "t")).toThrow(InputError);
  });
});

describe("exponential graph", () => {
  it("links i to i ± 2^k for every 2^k < n and nothing else", () => {
    fc.assert(
      fc.property(workers, (n) => {
        const g = exponentialGraph(n);
        expect(graphViolations(g)).toEqual([]);
        expect(connectedByEdgeList(g)).toBe(true);
        const expected = new Set<string>();
        for (let i = 0; i < n; i++) {
          for (let step = 1; step <= n - 1; step *= 2) {
            for (const j of [(i + step) % n, (((i - step) % n) + n) % n]) {
              if (j !== i) expected.add(`${Math.min(i, j)}-${Math.max(i, j)}`);
            }
          }
        }
        expect(new Set(edgeStrings(g))).toEqual(expected);
      }),
      PROPERTY,
    );
  });

  it("is regular of degree 2·log2(n) − 1 for a power of two (the ±n/2 neighbours coincide)", () => {
    for (const n of [4, 8, 16, 32, 64, 128]) {
      expect(degrees(exponentialGraph(n)).every((d) => d === 2 * Math.log2(n) - 1)).toBe(true);
    }
  });
});

describe("hierarchical", () => {
  const shapes = fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 6 }));

  it("is complete inside each node and joins node leaders in a ring by default", () => {
    fc.assert(
      fc.property(shapes, ([nodes, gpus]) => {
        const n = nodes * gpus;
        const g = hierarchicalGraph(n, gpus);
        expect(graphViolations(g)).toEqual([]);
        expect(connectedByEdgeList(g)).toBe(true);
        const ringEdges = nodes >= 3 ? nodes : nodes - 1;
        expect(edgeCount(g)).toBe((nodes * gpus * (gpus - 1)) / 2 + ringEdges);
        for (let u = 0; u < n; u++) {
          for (let v = u + 1; v < n; v++) {
            const sameNode = Math.floor(u / gpus) === Math.floor(v / gpus);
            const leaders = u % gpus === 0 && v % gpus === 0;
            const ku = u / gpus;
            const kv = v / gpus;
            const ringNeighbours = leaders && (kv - ku === 1 || (nodes >= 3 && ku === 0 && kv === nodes - 1));
            expect(hasEdge(g, u, v)).toBe(sameNode || ringNeighbours);
          }
        }
      }),
      PROPERTY,
    );
  });

  it("joins every pair of leaders with interNode complete", () => {
    fc.assert(
      fc.property(shapes, ([nodes, gpus]) => {
        const g = hierarchicalGraph(nodes * gpus, gpus, "complete");
        expect(graphViolations(g)).toEqual([]);
        expect(edgeCount(g)).toBe((nodes * gpus * (gpus - 1)) / 2 + (nodes * (nodes - 1)) / 2);
        for (let k = 0; k < nodes; k++)
          for (let l = k + 1; l < nodes; l++) expect(hasEdge(g, k * gpus, l * gpus)).toBe(true);
      }),
      PROPERTY,
    );
  });

  it("rejects a GPU count that does not divide the workers, and unknown layouts", () => {
    expect(() => hierarchicalGraph(12, 5, "ring", "c.t")).toThrow(
      "c.t.gpusPerNode: got 5, expected a divisor of 12 (the number of workers)",
    );
    expect(() => hierarchicalGraph(12, 4, "mesh" as "ring", "c.t")).toThrow(/^c\.t\.interNode: got "mesh"/);
  });
});

describe("custom edge list", () => {
  it("keeps exactly the listed links, in either orientation, merging repeats", () => {
    const g = customGraph(4, [
      [2, 0],
      [0, 2],
      [3, 1],
    ]);
    expect(graphViolations(g)).toEqual([]);
    expect(edgeStrings(g)).toEqual(["0-2", "1-3"]);
  });

  it("reports each bad entry at its own path", () => {
    expect(() =>
      customGraph(
        4,
        [
          [0, 1],
          [2, 4],
        ],
        "cluster.topology",
      ),
    ).toThrow("cluster.topology.edges[1][1]: got 4, expected a worker id in 0..3");
    expect(() =>
      customGraph(
        4,
        [
          [0, 1],
          [-1, 2],
        ],
        "p",
      ),
    ).toThrow("p.edges[1][0]: got -1, expected a worker id in 0..3");
    expect(() => customGraph(4, [[3, 3]], "p")).toThrow(
      "p.edges[0]: got [3,3], expected two different workers (self-loops are not links)",
    );
    expect(() => customGraph(4, [[1, 2, 3]], "p")).toThrow(/^p\.edges\[0\]: got \[1,2,3\], expected a pair/);
    expect(() => customGraph(4, "0-1", "p")).toThrow(/^p\.edges: got "0-1"/);
    expect(() => customGraph(4, [[0, 1.5]], "p")).toThrow(InputError);
  });
});

describe("worker counts", () => {
  it("every family refuses a count that is not a positive integer", () => {
    for (const make of [ringGraph, pathGraph, starGraph, completeGraph, hypercubeGraph, exponentialGraph]) {
      expect(() => make(0, "t")).toThrow("t: got 0, expected a positive integer number of workers");
      expect(() => make(2.5, "t")).toThrow(InputError);
    }
  });
});
