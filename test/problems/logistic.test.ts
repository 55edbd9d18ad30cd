import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CpuKernels } from "../../kernels/cpu.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import { type LogisticOptions, LogisticProblem, sigmoid, softplus } from "../../sim/problems/logistic.ts";
import { distance, finiteDifferenceGradient, norm, randomVector } from "./helpers.ts";

const base: LogisticOptions = {
  dimension: 5,
  samplesPerWorker: 30,
  batchSize: 30,
  noise: 0.1,
  heterogeneity: 0,
  l2: 1,
};

function make(options: Partial<LogisticOptions> = {}, workers = 4, seed = 7): LogisticProblem {
  return new LogisticProblem({ ...base, ...options }, workers, new RandomStreams(seed));
}

describe("stable logistic functions", () => {
  it("stay finite and exact at the extremes", () => {
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(softplus(-40)).toBeCloseTo(Math.exp(-40), 30);
    expect(softplus(0)).toBeCloseTo(Math.LN2, 15);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(-40)).toBeCloseTo(Math.exp(-40), 30);
    expect(sigmoid(0)).toBe(0.5);
  });

  it("match the naive formulas where those are safe", () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (z) => {
        expect(softplus(z)).toBeCloseTo(Math.log(1 + Math.exp(z)), 10);
        expect(sigmoid(z)).toBeCloseTo(1 / (1 + Math.exp(-z)), 14);
        expect(sigmoid(z) + sigmoid(-z)).toBeCloseTo(1, 15);
      }),
    );
  });
});

describe("logistic regression", () => {
  it("has labels ±1, both present; with no noise they are the sign of the clean margin", () => {
    const p = make({ noise: 0 });
    for (let w = 0; w < p.workers; w++) {
      const y = [...p.targets[w]!];
      expect(y.every((v) => v === 1 || v === -1)).toBe(true);
      expect(y).toContain(1);
      expect(y).toContain(-1);
    }
  });

  it("has the gradient of its objective (finite differences, float64)", () => {
    const p = make({ heterogeneity: 1, l2: 0.5 });
    const x = randomVector(new RandomStreams(1).stream("x"), p.dimension);
    const g = new Float64Array(p.dimension);
    expect(p.gradient64(x, g)).toBeCloseTo(p.objective64(x), 12);
    const fd = finiteDifferenceGradient((y) => p.objective64(y), x, 1e-5);
    for (const [j, v] of fd) expect(Math.abs(g[j]! - v)).toBeLessThan(1e-8 * Math.max(1, Math.abs(v)));
  });

  it("agrees through the Problem interface (float32) with the float64 local gradient", () => {
    const kernels = new CpuKernels();
    const p = make();
    const x = kernels.fromArray(randomVector(new RandomStreams(2).stream("x"), p.dimension));
    const g = kernels.alloc(p.dimension);
    const want = new Float64Array(p.dimension);
    expect(p.gradient(3, x, g, new RandomStreams(3).stream("s"))).toBe(
      p.localGradient(3, x.data, want, undefined),
    );
    for (let j = 0; j < p.dimension; j++) expect(g.data[j]).toBe(Math.fround(want[j]!));
  });

  it("finds x* by Newton: ‖∇f(x*)‖ ≤ 1e-10 and f(x*) below nearby points", () => {
    for (const heterogeneity of [0, 2]) {
      const p = make({ heterogeneity, dimension: 8, l2: 0.1 }, 5);
      const g = new Float64Array(p.dimension);
      p.gradient64(p.xStar, g);
      expect(norm(g)).toBeLessThanOrEqual(1e-10);
      expect(p.newtonIterations).toBeLessThan(30);
      const fStar = p.objective64(p.xStar);
      const rng = new RandomStreams(6).stream("perturb");
      for (let r = 0; r < 20; r++) {
        const delta = randomVector(rng, p.dimension, 1e-3);
        expect(p.objective64(p.xStar.map((v, j) => v + delta[j]!))).toBeGreaterThanOrEqual(fStar);
      }
      const star = p.optimum(new CpuKernels());
      expect(distance(star.data!, p.xStar)).toBeLessThan(1e-6 * (1 + norm(p.xStar)));
    }
  });

  it("has μ = λ ≤ L, bounding the curvature everywhere (checked numerically)", () => {
    const p = make({ heterogeneity: 1, l2: 0.3 }, 3);
    expect(p.mu).toBe(0.3);
    expect(p.mu).toBeLessThan(p.L);
    const d = p.dimension;
    const rng = new RandomStreams(8).stream("points");
    const gx = new Float64Array(d);
    const gy = new Float64Array(d);
    let largest = 0;
    for (let r = 0; r < 60; r++) {
      // Curvature along v at x: (∇f(x+εv) − ∇f(x))·v / (ε‖v‖²) ∈ [μ, L]. Points near 0 (where σ' = ¼
      // is largest) and far out (where the curvature falls towards λ).
      const x = randomVector(rng, d, r < 30 ? 0.01 : 10);
      const v = randomVector(rng, d);
      const eps = 1e-6;
      p.gradient64(x, gx);
      p.gradient64(
        x.map((xi, j) => xi + eps * v[j]!),
        gy,
      );
      let q = 0;
      for (let j = 0; j < d; j++) q += (gy[j]! - gx[j]!) * v[j]!;
      q /= eps * norm(v) ** 2;
      expect(q).toBeGreaterThanOrEqual(p.mu * (1 - 1e-5));
      expect(q).toBeLessThanOrEqual(p.L * (1 + 1e-5));
      largest = Math.max(largest, q);
    }
    // Near 0 the curvature along the top Gram direction is ≈ L; random directions get a good part of it.
    expect(largest).toBeGreaterThan(p.mu + 0.3 * (p.L - p.mu));
  });

  it("is deterministic per seed and gives worker i the same shard whatever n", () => {
    const a = make({ heterogeneity: 1 }, 4, 11);
    const b = make({ heterogeneity: 1 }, 4, 11);
    expect([...a.xStar]).toEqual([...b.xStar]);
    const eight = make({ heterogeneity: 1 }, 8, 11);
    expect([...eight.features[2]!]).toEqual([...a.features[2]!]);
    expect([...eight.targets[2]!]).toEqual([...a.targets[2]!]);
    expect([...make({}, 4, 12).features[2]!]).not.toEqual([...make({}, 4, 13).features[2]!]);
  });

  it("refuses λ = 0 (no minimiser on separable data)", () => {
    expect(() => make({ l2: 0 })).toThrow(RangeError);
  });
});
