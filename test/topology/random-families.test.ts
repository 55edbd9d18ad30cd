import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { erdosRenyiGraph } from "../../sim/cluster/topology/erdos-renyi.ts";
import { edgeCount, hasEdge } from "../../sim/cluster/topology/graph.ts";
import { randomGeometricGraph, randomGeometricLayout } from "../../sim/cluster/topology/random-geometric.ts";
import { randomRegularGraph } from "../../sim/cluster/topology/random-regular.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import { InputError } from "../../sim/errors.ts";
import { connectedByEdgeList, degrees, edgeStrings, graphViolations, PROPERTY } from "./graph-checks.ts";

const stream = (seed: number) => new RandomStreams(seed).stream("topology");
const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** (n, d) with 1 ≤ d < n, n·d even, and d = 1 only for n = 2 (the only connected 1-regular graph). */
const regularShape = fc
  .integer({ min: 2, max: 40 })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 1 })))
  .filter(([n, d]) => (n * d) % 2 === 0 && (d >= 2 || n === 2));

describe("random regular", () => {
  it("is simple, connected and d-regular for every valid (n, d)", () => {
    fc.assert(
      fc.property(regularShape, seeds, ([n, d], seed) => {
        const g = randomRegularGraph(n, d, stream(seed));
        expect(graphViolations(g)).toEqual([]);
        expect(connectedByEdgeList(g)).toBe(true);
        expect(degrees(g).every((x) => x === d)).toBe(true);
        expect(edgeCount(g)).toBe((n * d) / 2);
      }),
      { ...PROPERTY, numRuns: 300 },
    );
  });

  it("is a function of the stream: same seed same graph, another seed another graph", () => {
    const a = edgeStrings(randomRegularGraph(30, 4, stream(7)));
    expect(edgeStrings(randomRegularGraph(30, 4, stream(7)))).toEqual(a);
    expect(edgeStrings(randomRegularGraph(30, 4, stream(8)))).not.toEqual(a);
  });

  it("moves far from the circulant it starts from (i ~ i ± 1, i ± 2): overlap as for a uniform graph", () => {
    // Under the uniform law each pair is an edge with probability d/(n−1), so the 60 start pairs keep
    // 60·4/29 = 8.28 edges on average (sd ≈ 2.7 per graph, 0.19 for a mean of 200). An unmixed chain
    // would keep all 60.
    const n = 30;
    let total = 0;
    for (let seed = 0; seed < 200; seed++) {
      const g = randomRegularGraph(n, 4, new RandomStreams(seed).stream("mixing"));
      for (let e = 0; e < edgeCount(g); e++) {
        const gap = g.edgeV[e]! - g.edgeU[e]!;
        if (Math.min(gap, n - gap) <= 2) total++;
      }
    }
    expect(Math.abs(total / 200 - (60 * 4) / 29)).toBeLessThan(1);
  });

  it("spreads edges evenly: over 400 graphs each pair of a 10-vertex 3-regular graph is an edge ≈ 1/3 of the time", () => {
    // Under the uniform law every pair has probability d/(n−1) = 1/3 by symmetry. The switch chain
    // started at a circulant would, if it mixed badly, keep near-neighbour pairs far more often.
    const n = 10;
    const runs = 400;
    const counts = new Float64Array(n * n);
    for (let r = 0; r < runs; r++) {
      const g = randomRegularGraph(n, 3, new RandomStreams(r).stream("uniformity"));
      for (let e = 0; e < edgeCount(g); e++) counts[g.edgeU[e]! * n + g.edgeV[e]!]!++;
    }
    // Binomial(400, 1/3): sd 9.4; ±4.5 sd over 45 pairs.
    for (let u = 0; u < n; u++) {
      for (let v = u + 1; v < n; v++) expect(Math.abs(counts[u * n + v]! - runs / 3)).toBeLessThan(42);
    }
  });

  it("rejects an odd n·d, a degree out of range and a disconnected 1-regular request", () => {
    expect(() => randomRegularGraph(7, 3, stream(1), "cluster.topology")).toThrow(
      "cluster.topology.degree: got 3, expected an even degree: 7 workers × degree must be even (each edge has two ends)",
    );
    expect(() => randomRegularGraph(7, 7, stream(1), "t")).toThrow(
      "t.degree: got 7, expected an integer in 1..6",
    );
    expect(() => randomRegularGraph(7, 0, stream(1), "t")).toThrow(InputError);
    expect(() => randomRegularGraph(8, 1, stream(1), "t")).toThrow(
      /^t\.degree: got 1, expected a degree of at least 2/,
    );
    expect(() => randomRegularGraph(1, 1, stream(1), "t")).toThrow(/^t: got 1/);
  });
});

describe("Erdős–Rényi", () => {
  it("draws a valid graph, with p = 0 empty and p = 1 complete", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        seeds,
        (n, p, seed) => {
          const g = erdosRenyiGraph(n, p, stream(seed));
          expect(graphViolations(g)).toEqual([]);
          if (p === 0) expect(edgeCount(g)).toBe(0);
          if (p === 1) expect(edgeCount(g)).toBe((n * (n - 1)) / 2);
        },
      ),
      PROPERTY,
    );
    expect(edgeCount(erdosRenyiGraph(12, 1, stream(3)))).toBe(66);
  });

  it("has the binomial edge count and an even spread over pairs (skip sampling draws every pair)", () => {
    const n = 200;
    const p = 0.05;
    const pairs = (n * (n - 1)) / 2;
    const g = erdosRenyiGraph(n, p, stream(11));
    // Binomial(19900, 0.05): mean 995, sd 30.7; 5 sd.
    expect(Math.abs(edgeCount(g) - pairs * p)).toBeLessThan(5 * Math.sqrt(pairs * p * (1 - p)));
    // Edges must reach the last rows too (a skip bug tends to starve the end): split pairs by
    // larger endpoint v < n/√2 and ≥ n/√2, each holding about half of the pairs.
    const late = Array.from(g.edgeV).filter((v) => v >= n / Math.SQRT2).length;
    expect(Math.abs(late / edgeCount(g) - 0.5)).toBeLessThan(0.06);
  });

  it("is connected for p well above ln(n)/n (seeded)", () => {
    expect(connectedByEdgeList(erdosRenyiGraph(300, (3 * Math.log(300)) / 300, stream(5)))).toBe(true);
  });

  it("is a function of the stream", () => {
    const a = edgeStrings(erdosRenyiGraph(40, 0.2, stream(21)));
    expect(edgeStrings(erdosRenyiGraph(40, 0.2, stream(21)))).toEqual(a);
    expect(edgeStrings(erdosRenyiGraph(40, 0.2, stream(22)))).not.toEqual(a);
  });

  it("rejects a probability outside [0, 1]", () => {
    expect(() => erdosRenyiGraph(10, 1.5, stream(1), "c.t")).toThrow(
      "c.t.p: got 1.5, expected a probability in [0, 1]",
    );
    expect(() => erdosRenyiGraph(10, Number.NaN, stream(1), "c.t")).toThrow(/^c\.t\.p: got NaN/);
  });
});

describe("random geometric", () => {
  it("links exactly the pairs within the radius (checked against all pairs)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        seeds,
        (n, r, seed) => {
          const { graph, x, y } = randomGeometricLayout(n, r, stream(seed));
          expect(graphViolations(graph)).toEqual([]);
          for (let i = 0; i < n; i++) {
            for (let j = i + 1; j < n; j++) {
              const close = Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!) <= r;
              // Pairs at the radius to rounding could go either way; none occur with random doubles.
              expect(hasEdge(graph, i, j)).toBe(close);
            }
          }
        },
      ),
      PROPERTY,
    );
  });

  it("matches the brute-force graph on 2000 points, where the cell grid matters", () => {
    const { graph, x, y } = randomGeometricLayout(2000, 0.03, stream(9));
    let expected = 0;
    for (let i = 0; i < 2000; i++) {
      for (let j = i + 1; j < 2000; j++)
        if ((x[i]! - x[j]!) ** 2 + (y[i]! - y[j]!) ** 2 <= 0.03 ** 2) expected++;
    }
    expect(edgeCount(graph)).toBe(expected);
    expect(expected).toBeGreaterThan(2000); // the check is not vacuous
  });

  it("is a function of the stream, with points uniform in the unit square", () => {
    const a = edgeStrings(randomGeometricGraph(40, 0.3, stream(31)));
    expect(edgeStrings(randomGeometricGraph(40, 0.3, stream(31)))).toEqual(a);
    expect(edgeStrings(randomGeometricGraph(40, 0.3, stream(32)))).not.toEqual(a);
    const { x, y } = randomGeometricLayout(4000, 0, stream(33));
    const left = x.filter((v) => v < 0.5).length;
    const low = y.filter((v) => v < 0.25).length;
    // Binomial(4000, ½) sd 31.6 and (4000, ¼) sd 27.4; 4.5 sd.
    expect(Math.abs(left - 2000)).toBeLessThan(143);
    expect(Math.abs(low - 1000)).toBeLessThan(124);
  });

  it("rejects a negative radius", () => {
    expect(() => randomGeometricGraph(10, -0.1, stream(1), "c.t")).toThrow(
      "c.t.radius: got -0.1, expected a non-negative distance in the unit square",
    );
  });
});
