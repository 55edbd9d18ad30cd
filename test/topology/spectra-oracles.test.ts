import fc from "fast-check";
import { EigenvalueDecomposition, Matrix, pseudoInverse } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { circulantOffsetRates } from "../../sim/cluster/topology/circulant-spectrum.ts";
import { completeGraph, pathGraph, ringGraph, starGraph } from "../../sim/cluster/topology/classic-graphs.ts";
import { exponentialGraph } from "../../sim/cluster/topology/exponential-graph.ts";
import { edgeCount, type Graph, graphFromEdges } from "../../sim/cluster/topology/graph.ts";
import { randomRegularGraph } from "../../sim/cluster/topology/random-regular.ts";
import {
  denseLaplacian,
  denseSpectrum,
  fourierSpectrum,
  gossipConstants,
  laplacianSpectrum,
  MAX_SPECTRAL_WORKERS,
  spectralConstants,
  worstCaseGossipConstants,
  worstCaseSpectrum,
} from "../../sim/cluster/topology/spectra.ts";
import { timeVaryingGraph } from "../../sim/cluster/topology/time-varying.ts";
import { tridiagonalEigen } from "../../sim/cluster/topology/tridiagonal-eigen.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import { InputError } from "../../sim/errors.ts";
import { PROPERTY } from "./graph-checks.ts";

/** A connected graph (a random spanning tree plus random extra edges) with random rates in [0.05, 5]. */
const weightedGraph = fc
  .integer({ min: 2, max: 24 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      parents: fc.array(fc.nat(), { minLength: n - 1, maxLength: n - 1 }),
      extra: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: 2 * n }),
      rates: fc.array(fc.double({ min: 0.05, max: 5, noNaN: true }), { minLength: 4 * n, maxLength: 4 * n }),
    }),
  )
  .map(({ n, parents, extra, rates }) => {
    const tree = parents.map((p, i) => [i + 1, p % (i + 1)] as const);
    const g = graphFromEdges(
      n,
      [...tree, ...extra].filter(([u, v]) => u !== v),
    );
    return { g, rates: Float64Array.from({ length: edgeCount(g) }, (_, e) => rates[e]!) };
  });

/** λ2 and Λ⁺ by ml-matrix's general routines: an independent implementation to compare with. */
function oracle(g: Graph, rates: Float64Array) {
  const n = g.n;
  const dense = denseLaplacian(g, rates);
  const laplacian = new Matrix(
    Array.from({ length: n }, (_, i) => Array.from(dense.subarray(i * n, (i + 1) * n))),
  );
  const eigenvalues = [
    ...new EigenvalueDecomposition(laplacian, { assumeSymmetric: true }).realEigenvalues,
  ].sort((a, b) => a - b);
  const plus = pseudoInverse(laplacian);
  const resistances = Array.from(g.edgeU, (u, e) => {
    const v = g.edgeV[e]!;
    return plus.get(u, u) + plus.get(v, v) - 2 * plus.get(u, v);
  });
  return { lambda2: eigenvalues[1]!, resistances };
}

function expectClose(actual: number, expected: number, relative: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    relative * Math.abs(expected),
  );
}

describe("dense spectra against ml-matrix", () => {
  it("λ2 and every edge resistance agree on random weighted graphs", () => {
    fc.assert(
      fc.property(weightedGraph, ({ g, rates }) => {
        const ours = laplacianSpectrum(g, rates);
        const theirs = oracle(g, rates);
        expectClose(ours.lambda2, theirs.lambda2, 1e-8);
        theirs.resistances.forEach((r, e) => {
          expectClose(ours.resistances[e]!, r, 1e-8);
        });
        expectClose(ours.chi2, Math.max(...theirs.resistances) / 2, 1e-8);
      }),
      { ...PROPERTY, numRuns: 120 },
    );
  });

  it("handles spectra with repeated and clustered eigenvalues (complete, star, random 3-regular)", () => {
    const graphs = [
      completeGraph(20),
      starGraph(20),
      randomRegularGraph(40, 3, new RandomStreams(3).stream("g")),
    ];
    for (const g of graphs) {
      const rates = Float64Array.from({ length: edgeCount(g) }, () => 0.7);
      const ours = denseSpectrum(g, rates);
      const theirs = oracle(g, rates);
      expectClose(ours.lambda2, theirs.lambda2, 1e-10);
      theirs.resistances.forEach((r, e) => {
        expectClose(ours.resistances[e]!, r, 1e-9);
      });
    }
  });
});

describe("identities every weighted Laplacian satisfies", () => {
  it("Foster: Σ_e λ_e R_e = n − 1; χ2 ≤ χ1; scaling every rate by c divides χ1 and χ2 by c", () => {
    fc.assert(
      fc.property(weightedGraph, fc.double({ min: 0.1, max: 10, noNaN: true }), ({ g, rates }, c) => {
        const base = laplacianSpectrum(g, rates);
        const foster = base.resistances.reduce((sum, r, e) => sum + rates[e]! * r, 0);
        expectClose(foster, g.n - 1, 1e-9);
        expect(base.chi2).toBeLessThanOrEqual(base.chi1 * (1 + 1e-12));
        const scaled = laplacianSpectrum(
          g,
          rates.map((r) => r * c),
        );
        expectClose(scaled.chi1, base.chi1 / c, 1e-9);
        expectClose(scaled.chi2, base.chi2 / c, 1e-9);
      }),
      PROPERTY,
    );
  });

  it("adding an edge never lowers λ2 nor raises any resistance (Rayleigh monotonicity)", () => {
    fc.assert(
      fc.property(weightedGraph, fc.nat(), fc.nat(), ({ g, rates }, a, b) => {
        const u = a % g.n;
        const v = b % g.n;
        if (u === v) return;
        const pairs = Array.from(g.edgeU, (x, e) => [x, g.edgeV[e]!] as const);
        const bigger = graphFromEdges(g.n, [...pairs, [u, v]]);
        if (edgeCount(bigger) === edgeCount(g)) return;
        const rateOf = new Map(pairs.map(([x, y], e) => [`${x}-${y}`, rates[e]!]));
        const biggerRates = Float64Array.from(
          bigger.edgeU,
          (x, e) => rateOf.get(`${x}-${bigger.edgeV[e]}`) ?? 1,
        );
        const before = laplacianSpectrum(g, rates);
        const after = laplacianSpectrum(bigger, biggerRates);
        expect(after.lambda2).toBeGreaterThanOrEqual(before.lambda2 * (1 - 1e-10));
        for (let e = 0; e < edgeCount(bigger); e++) {
          const old = pairs.findIndex(([x, y]) => x === bigger.edgeU[e] && y === bigger.edgeV[e]);
          if (old >= 0)
            expect(after.resistances[e]!).toBeLessThanOrEqual(before.resistances[old]! * (1 + 1e-10));
        }
      }),
      PROPERTY,
    );
  });
});

describe("Fourier path for circulant graphs", () => {
  /** i ~ i ± d for a random set of offsets, each offset with its own rate. */
  const circulant = fc
    .integer({ min: 2, max: 40 })
    .chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.uniqueArray(fc.integer({ min: 1, max: Math.floor(n / 2) }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), { minLength: 5, maxLength: 5 }),
      ),
    )
    .filter(([n, offsets]) => offsets.reduce(gcd, n) === 1); // connected

  it("is chosen for rotation-invariant rates and agrees with the dense path", () => {
    fc.assert(
      fc.property(circulant, ([n, offsets, offsetRates]) => {
        const pairs = offsets.flatMap((d) => Array.from({ length: n }, (_, i) => [i, (i + d) % n] as const));
        const g = graphFromEdges(n, pairs);
        const rateOf = (e: number) => {
          const gap = g.edgeV[e]! - g.edgeU[e]!;
          return offsetRates[offsets.indexOf(Math.min(gap, n - gap))]!;
        };
        const rates = Float64Array.from({ length: edgeCount(g) }, (_, e) => rateOf(e));
        const detected = circulantOffsetRates(g, rates);
        expect(detected).toBeDefined();
        const fourier = fourierSpectrum(g, detected!);
        const dense = denseSpectrum(g, rates);
        expectClose(fourier.lambda2, dense.lambda2, 1e-9);
        fourier.resistances.forEach((r, e) => {
          expectClose(r, dense.resistances[e]!, 1e-9);
        });
      }),
      PROPERTY,
    );
  });

  it("is not taken when rates break the rotation symmetry or an offset class is incomplete", () => {
    const ring = ringGraph(8);
    const skewed = new Float64Array(8).fill(1);
    skewed[3] = 2;
    expect(circulantOffsetRates(ring, skewed)).toBeUndefined();
    expect(circulantOffsetRates(pathGraph(8), new Float64Array(7).fill(1))).toBeUndefined();
    expect(circulantOffsetRates(exponentialGraph(16), new Float64Array(56).fill(1))?.size).toBe(4);
  });

  it("computes rings and exponential graphs far beyond the dense limit", () => {
    const n = 100_000;
    const ring = gossipConstants(ringGraph(n), 1);
    // 1 − cos(2π/n) = 2 sin²(π/n), written so because the former loses 7 digits at this n.
    expectClose(ring.chi1, 1 / (2 * Math.sin(Math.PI / n) ** 2), 1e-9);
    expectClose(ring.chi2, (n - 1) / n, 1e-9);
    const exp = gossipConstants(exponentialGraph(4096), 1);
    expect(exp.chi1).toBeGreaterThan(1);
    expect(exp.chi2).toBeLessThanOrEqual(exp.chi1);
  });
});

describe("time-varying worst case", () => {
  it("takes the largest χ1 and χ2 over the sequence", () => {
    const ring = ringGraph(8);
    const star = starGraph(8);
    const complete = completeGraph(8);
    const tv = timeVaryingGraph([complete, ring, star], 1);
    const worst = worstCaseGossipConstants(tv, 1);
    const each = [complete, ring, star].map((g) => gossipConstants(g, 1));
    expect(worst.perGraph).toEqual(each);
    expect(worst.chi1Star).toBe(Math.max(...each.map((c) => c.chi1)));
    expect(worst.chi2Star).toBe(Math.max(...each.map((c) => c.chi2)));
    // The two maxima come from different graphs here (ring for χ1, star for χ2), so neither is
    // simply "the worst graph's" constants.
    expect(worst.chi1Star).toBe(each[1]!.chi1);
    expect(worst.chi2Star).toBe(each[2]!.chi2);
    const normalised = worstCaseSpectrum(tv, (g) => 1 / edgeCount(g));
    expectClose(normalised.perGraph[2]!.chi1, 7, 1e-9);
  });

  it("names the graph of the sequence that is disconnected", () => {
    const tv = timeVaryingGraph([ringGraph(6), graphFromEdges(6, [[0, 1]])], 1);
    expect(() => worstCaseGossipConstants(tv, 1, "cluster.topology")).toThrow(
      /^cluster\.topology\.graphs\[1\]: got \{"workers":6,"components":5\}, expected a connected graph/,
    );
  });
});

describe("spectra refuse what they cannot compute", () => {
  it("disconnected graphs, a single worker, non-circulant graphs past the dense limit, bad rates", () => {
    expect(() => gossipConstants(graphFromEdges(4, [[0, 1]]), 1, "c.t")).toThrow(InputError);
    // No edge at all: still the connectivity message, not a rate error.
    expect(() => gossipConstants(graphFromEdges(3, []), 1, "c.t")).toThrow(
      /^c\.t: got .*expected a connected graph/,
    );
    expect(() => gossipConstants(ringGraph(1), 1, "c.t")).toThrow(
      'c.t: got {"workers":1}, expected at least two workers for gossip constants',
    );
    const n = MAX_SPECTRAL_WORKERS + 1;
    expect(() => gossipConstants(starGraph(n), 1, "c.t")).toThrow(
      new RegExp(`^c\\.t: got \\{"workers":${n}\\}, expected at most ${MAX_SPECTRAL_WORKERS} workers`),
    );
    expect(() => spectralConstants(ringGraph(5), 0)).toThrow(RangeError);
    expect(() => spectralConstants(ringGraph(5), new Float64Array(4).fill(1))).toThrow(RangeError);
    expect(() => spectralConstants(ringGraph(5), Float64Array.of(1, 1, Number.NaN, 1, 1))).toThrow(
      RangeError,
    );
    expect(() => gossipConstants(ringGraph(5), -1)).toThrow(RangeError);
  });
});

describe("tridiagonal eigen-solver", () => {
  it("matches ml-matrix's eigenvalues and eigenvectors' last components", () => {
    // Entries on a grid of 1/1000 (and many zeros): repeated eigenvalues occur, and no subnormal
    // reaches ml-matrix, whose tql2 crashes on those (see the next test for ours).
    const entry = (max: number) =>
      fc.oneof(
        fc.integer({ min: -max * 1000, max: max * 1000 }).map((x) => x / 1000),
        fc.constant(0),
      );
    const tridiagonal = fc
      .integer({ min: 1, max: 30 })
      .chain((k) =>
        fc.tuple(
          fc.array(entry(5), { minLength: k, maxLength: k }),
          fc.array(entry(3), { minLength: k - 1, maxLength: k - 1 }),
        ),
      );
    fc.assert(
      fc.property(tridiagonal, ([diagonal, off]) => {
        const k = diagonal.length;
        const ours = tridiagonalEigen(diagonal, off);
        const dense = Matrix.zeros(k, k);
        for (let i = 0; i < k; i++) dense.set(i, i, diagonal[i]!);
        for (let i = 0; i + 1 < k; i++) {
          dense.set(i, i + 1, off[i]!);
          dense.set(i + 1, i, off[i]!);
        }
        const evd = new EigenvalueDecomposition(dense, { assumeSymmetric: true });
        const scale = 1 + Math.max(...diagonal.map(Math.abs), ...off.map(Math.abs));
        const theirs = [...evd.realEigenvalues].sort((a, b) => a - b);
        ours.values.forEach((value, i) => {
          expect(Math.abs(value - theirs[i]!)).toBeLessThan(1e-12 * scale);
        });
        // Each eigenpair checked on its own: ‖T y − θ y‖ small for the unit vector y whose last entry
        // is ours (a multiple eigenvalue's vectors are not unique, so compare through the residual of
        // ml-matrix's eigenspace: the last component's square summed over the cluster).
        for (let i = 0; i < k; i++) {
          const cluster = theirs.flatMap((t, j) => (Math.abs(t - ours.values[i]!) < 1e-9 * scale ? [j] : []));
          const order = [...evd.realEigenvalues.keys()].sort(
            (a, b) => evd.realEigenvalues[a]! - evd.realEigenvalues[b]!,
          );
          const theirsMass = cluster.reduce(
            (sum, j) => sum + evd.eigenvectorMatrix.get(k - 1, order[j]!) ** 2,
            0,
          );
          const oursMass = cluster.reduce((sum, j) => sum + ours.lastComponents[j]! ** 2, 0);
          expect(Math.abs(oursMass - theirsMass)).toBeLessThan(1e-9);
        }
      }),
      PROPERTY,
    );
  });
});

describe("tridiagonal eigen-solver edge cases", () => {
  it("treats a subnormal off-diagonal beside zeros as zero instead of producing NaN", () => {
    const diagonal = Array(16).fill(0);
    diagonal[2] = 9.769962616701378e-15;
    const off = Array(15).fill(0);
    off[1] = -5e-324;
    const { values, lastComponents } = tridiagonalEigen(diagonal, off);
    expect(Array.from(values)).toEqual([...Array(15).fill(0), 9.769962616701378e-15]);
    expect(lastComponents.every(Number.isFinite)).toBe(true);
  });

  it("refuses NaN input rather than looping", () => {
    expect(() => tridiagonalEigen([1, Number.NaN], [1])).toThrow(RangeError);
  });
});

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
