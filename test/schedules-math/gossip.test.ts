import fc from "fast-check";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { ringGraph } from "../../sim/cluster/topology/classic-graphs.ts";
import { edgeCount, graphFromEdges } from "../../sim/cluster/topology/graph.ts";
import { denseLaplacian } from "../../sim/cluster/topology/spectra.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import { expectedMean, GossipMeanPropagator } from "../../sim/schedules/math/gossip.ts";
import { symmetricEigen } from "../../sim/schedules/math/symmetric-eigen.ts";
import { expmTaylor, identity, matmul, matvec, maxAbs, relativeError } from "./dense-oracles.ts";

/** A connected graph (random spanning tree plus random extra edges) with random rates in [0.05, 5]. */
const weightedGraph = (maxN: number) =>
  fc
    .integer({ min: 2, max: maxN })
    .chain((n) =>
      fc.record({
        n: fc.constant(n),
        parents: fc.array(fc.nat(), { minLength: n - 1, maxLength: n - 1 }),
        extra: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: 2 * n }),
        rates: fc.array(fc.double({ min: 0.05, max: 5, noNaN: true }), {
          minLength: 4 * n,
          maxLength: 4 * n,
        }),
      }),
    )
    .map(({ n, parents, extra, rates }) => {
      const tree = parents.map((p, i) => [i + 1, p % (i + 1)] as const);
      const g = graphFromEdges(
        n,
        [...tree, ...extra].filter(([u, v]) => u !== v),
      );
      const perEdge = Float64Array.from({ length: edgeCount(g) }, (_, e) => rates[e]!);
      return { g, rates: perEdge, laplacian: denseLaplacian(g, perEdge) };
    });

const vector = (n: number) =>
  fc
    .array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n })
    .map((v) => Float64Array.from(v));

const sum = (v: ArrayLike<number>) => Array.from(v).reduce((s, w) => s + w, 0);

describe("symmetricEigen (Jacobi)", () => {
  const symmetric = fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc
      .array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n * n, maxLength: n * n })
      .map((entries) => {
        const a = new Float64Array(n * n);
        // Tiny entries flushed to zero: ml-matrix's tql2 crashes on subnormals, and on matrices whose
        // entries span ~200 orders of magnitude its eigenvalues drift by 1e-6 relative (seen in CI),
        // so the oracle, not our solver, would be under test there.
        const flush = (v: number) => (Math.abs(v) < 1e-6 ? 0 : v);
        for (let i = 0; i < n; i++)
          for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = flush(entries[i * n + j]!);
        return { n, a };
      }),
  );

  it("V·diag(λ)·Vᵀ = A and VᵀV = I (1e-13), eigenvalues equal ml-matrix's (1e-12·‖A‖)", () => {
    fc.assert(
      fc.property(symmetric, ({ n, a }) => {
        const { values, vectors } = symmetricEigen(a);
        const scale = Math.max(1e-300, maxAbs(a));
        const vt = new Float64Array(n * n);
        const vd = new Float64Array(n * n);
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < n; k++) {
            vt[k * n + i] = vectors[i * n + k]!;
            vd[i * n + k] = vectors[i * n + k]! * values[k]!;
          }
        }
        const rebuilt = matmul(vd, vt, n);
        expect(maxAbs(rebuilt.map((v, i) => v - a[i]!))).toBeLessThanOrEqual(1e-13 * scale * n);
        expect(maxAbs(matmul(vt, vectors, n).map((v, i) => v - identity(n)[i]!))).toBeLessThanOrEqual(
          1e-14 * n,
        );
        for (let k = 1; k < n; k++) expect(values[k]!).toBeGreaterThanOrEqual(values[k - 1]!);
        const theirs = [
          ...new EigenvalueDecomposition(
            new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)))),
            { assumeSymmetric: true },
          ).realEigenvalues,
        ].sort((x, y) => x - y);
        theirs.forEach((v, k) => {
          expect(Math.abs(values[k]! - v)).toBeLessThanOrEqual(1e-12 * scale * n);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("finds the ring's eigenvalues 2w(1 − cos 2πk/n), double ones included, with orthonormal vectors", () => {
    const n = 12;
    const w = 0.7;
    const { values, vectors } = symmetricEigen(denseLaplacian(ringGraph(n), w));
    const exact = Array.from({ length: n }, (_, k) => 4 * w * Math.sin((Math.PI * k) / n) ** 2).sort(
      (x, y) => x - y,
    );
    exact.forEach((v, k) => {
      expect(Math.abs(values[k]! - v)).toBeLessThan(1e-14);
    });
    const vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) vt[k * n + i] = vectors[i * n + k]!;
    expect(relativeError(matmul(vt, vectors, n), identity(n))).toBeLessThan(1e-14);
  });

  it("copes with subnormal entries (where ml-matrix's solver throws)", () => {
    const { values, vectors } = symmetricEigen([0, -5e-324, -5e-324, 8.881784197001252e-16]);
    expect(Array.from(values)).toEqual([0, 8.881784197001252e-16]);
    expect(Math.abs(vectors[0]!)).toBe(1);
  });

  it("rejects non-square, non-symmetric and non-finite input; leaves the input alone", () => {
    expect(() => symmetricEigen([1, 2, 3])).toThrow(RangeError);
    expect(() => symmetricEigen([1, 2, 3, 4])).toThrow(RangeError);
    expect(() => symmetricEigen([1, Number.NaN, Number.NaN, 1])).toThrow(RangeError);
    const a = Float64Array.of(2, -1, -1, 2);
    symmetricEigen(a);
    expect(Array.from(a)).toEqual([2, -1, -1, 2]);
    expect(Array.from(symmetricEigen([5]).values)).toEqual([5]);
  });
});

describe("expectedMean: E[x(t)] = expm(−Λt/2)·x(0) (reference §6.2)", () => {
  it("is exact on a single edge: x̄ + (x0 − x̄)·e^{−λt} (1e-15·|x0|)", () => {
    for (const [lambda, t, x0] of [
      [1, 0.5, [3, -1]],
      [0.05, 40, [10, 0]],
      [7, 2, [-2.5, 1e-3]],
      [2, 0, [1, 4]],
    ] as const) {
      // Λ = λ(e1 − e2)(e1 − e2)ᵀ has eigenvalue 2λ on x1 − x2, so that difference decays as e^{−λt}.
      const mean = expectedMean([lambda, -lambda, -lambda, lambda], x0, t);
      const average = (x0[0] + x0[1]) / 2;
      const decay = Math.exp(-lambda * t);
      const exact = [average + (x0[0] - average) * decay, average + (x0[1] - average) * decay];
      expect(maxAbs(mean.map((v, i) => v - exact[i]!))).toBeLessThanOrEqual(1e-15 * maxAbs(x0));
    }
  });

  it("conserves the average and tends to x̄·1 on random weighted graphs", () => {
    fc.assert(
      fc.property(
        weightedGraph(16).chain((w) => fc.record({ w: fc.constant(w), x0: vector(w.g.n) })),
        fc.double({ min: 0, max: 50, noNaN: true }),
        ({ w, x0 }, t) => {
          const propagator = new GossipMeanPropagator(w.laplacian);
          const n = w.g.n;
          const scale = Math.max(1, maxAbs(x0));
          expect(Math.abs(sum(propagator.mean(x0, t)) - sum(x0))).toBeLessThanOrEqual(1e-14 * n * scale);
          const limit = propagator.mean(x0, 1e9);
          expect(maxAbs(limit.map((v) => v - sum(x0) / n))).toBeLessThanOrEqual(1e-14 * n * scale);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("matches a Taylor-series expm(−Λt/2) (with squarings) on random weighted graphs (1e-12)", () => {
    fc.assert(
      fc.property(
        weightedGraph(10).chain((w) => fc.record({ w: fc.constant(w), x0: vector(w.g.n) })),
        fc.double({ min: 0, max: 5, noNaN: true }),
        ({ w, x0 }, t) => {
          const n = w.g.n;
          const generator = w.laplacian.map((v) => -v / 2);
          // Enough squarings to bring ‖Λt/2‖ below 1 for the plain series.
          const norm = maxAbs(generator) * n * t;
          const squarings = Math.max(0, Math.ceil(Math.log2(norm + 1)));
          const oracle = matvec(expmTaylor(generator, n, t, squarings), x0);
          const mean = expectedMean(w.laplacian, x0, t);
          expect(maxAbs(mean.map((v, i) => v - oracle[i]!))).toBeLessThanOrEqual(
            1e-12 * Math.max(1, maxAbs(x0)),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it("matches the sample mean of 20 000 simulated pairwise-gossip runs (within 4 standard errors)", () => {
    // A weighted 5-cycle with a chord: edge clocks at their rates, each event averages its two ends.
    const g = graphFromEdges(5, [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 0],
      [0, 2],
    ]);
    const rates = Float64Array.of(0.3, 1.2, 0.5, 0.8, 0.2, 0.6);
    const x0 = [4, -2, 0, 1, 7];
    const t = 1.5;
    const runs = 20_000;
    const random = new RandomStreams(11).stream("gossip-mc");
    const total = rates.reduce((s, r) => s + r, 0);
    const sums = new Float64Array(5);
    const squares = new Float64Array(5);
    for (let run = 0; run < runs; run++) {
      const x = Float64Array.from(x0);
      for (let time = random.exponential(total); time <= t; time += random.exponential(total)) {
        // Superposed clocks: the event is on edge e with probability rate_e / total.
        let u = random.uniform() * total;
        let e = 0;
        while (e < rates.length - 1 && u >= rates[e]!) u -= rates[e++]!;
        const i = g.edgeU[e]!;
        const j = g.edgeV[e]!;
        x[i] = x[j] = (x[i]! + x[j]!) / 2;
      }
      for (let i = 0; i < 5; i++) {
        sums[i]! += x[i]!;
        squares[i]! += x[i]! ** 2;
      }
    }
    const expected = expectedMean(denseLaplacian(g, rates), x0, t);
    for (let i = 0; i < 5; i++) {
      const mean = sums[i]! / runs;
      const standardError = Math.sqrt((squares[i]! / runs - mean ** 2) / runs);
      expect(Math.abs(mean - expected[i]!), `worker ${i}`).toBeLessThan(4 * standardError);
    }
    // And the mean is far from both x0 and the consensus, so the check has teeth.
    expect(maxAbs(expected.map((v, i) => v - x0[i]!))).toBeGreaterThan(0.5);
    expect(maxAbs(expected.map((v) => v - sum(x0) / 5))).toBeGreaterThan(0.5);
  });

  it("rejects a vector of the wrong size or a negative time", () => {
    const propagator = GossipMeanPropagator.fromGraph(ringGraph(4), 1);
    expect(() => propagator.mean([1, 2, 3], 1)).toThrow(RangeError);
    expect(() => propagator.mean([1, 2, 3, 4], -1)).toThrow(RangeError);
  });
});
