import { describe, expect, it } from "vitest";
import { CpuKernels } from "../../kernels/cpu.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import { type LeastSquaresOptions, LeastSquaresProblem } from "../../sim/problems/least-squares.ts";
import { distance, finiteDifferenceGradient, norm, randomVector } from "./helpers.ts";

const base: LeastSquaresOptions = {
  dimension: 6,
  samplesPerWorker: 20,
  batchSize: 20,
  noise: 0.5,
  heterogeneity: 0,
  l2: 0,
};

function make(options: Partial<LeastSquaresOptions> = {}, workers = 4, seed = 7): LeastSquaresProblem {
  return new LeastSquaresProblem({ ...base, ...options }, workers, new RandomStreams(seed));
}

describe("least squares", () => {
  it("has the gradient of its objective (finite differences, float64), with and without ℓ2", () => {
    for (const l2 of [0, 0.3]) {
      const p = make({ l2, heterogeneity: 1 });
      const x = randomVector(new RandomStreams(1).stream("x"), p.dimension);
      const g = new Float64Array(p.dimension);
      const f = p.gradient64(x, g);
      expect(f).toBeCloseTo(p.objective64(x), 12);
      const fd = finiteDifferenceGradient((y) => p.objective64(y), x, 1e-5);
      for (const [j, v] of fd) expect(Math.abs(g[j]! - v)).toBeLessThan(1e-7 * Math.max(1, Math.abs(v)));
    }
  });

  it("writes the full local gradient through the Problem interface when batchSize = m", () => {
    const kernels = new CpuKernels();
    const p = make({ l2: 0.1 });
    const x = kernels.fromArray(randomVector(new RandomStreams(2).stream("x"), p.dimension));
    const g = kernels.alloc(p.dimension);
    const want = new Float64Array(p.dimension);
    const rng = new RandomStreams(3).stream("gradient-samples", 1);
    const loss = p.gradient(1, x, g, rng);
    const wantLoss = p.localGradient(1, x.data, want, undefined);
    expect(loss).toBe(wantLoss);
    for (let j = 0; j < p.dimension; j++) expect(g.data[j]).toBe(Math.fround(want[j]!));
    // Deterministic: no draws were made, a second call with another stream gives the same numbers.
    const again = kernels.alloc(p.dimension);
    p.gradient(1, x, again, new RandomStreams(99).stream("other"));
    expect([...again.data]).toEqual([...g.data]);
    // The mean of the workers' losses is the objective.
    let mean = 0;
    for (let w = 0; w < p.workers; w++) mean += p.localGradient(w, x.data, want, undefined) / p.workers;
    expect(p.loss(x)).toBeCloseTo(mean, 12);
  });

  it("draws mini-batches with replacement: unbiased for the local gradient", () => {
    const p = make({ batchSize: 4 });
    const x = randomVector(new RandomStreams(4).stream("x"), p.dimension);
    const full = new Float64Array(p.dimension);
    p.localGradient(0, x, full, undefined);
    const rng = new RandomStreams(5).stream("gradient-samples", 0);
    const sum = new Float64Array(p.dimension);
    const one = new Float64Array(p.dimension);
    const draws = 4000;
    for (let s = 0; s < draws; s++) {
      p.localGradient(0, x, one, rng);
      for (let j = 0; j < p.dimension; j++) sum[j]! += one[j]! / draws;
    }
    // Standard error ≈ spread/√(4·4000) ≈ 1% of the gradient's scale here.
    expect(distance(sum, full)).toBeLessThan(0.05 * norm(full) + 0.05);
  });

  it("has ∇f(x*) ≈ 0 and f(x*) below nearby points", () => {
    for (const heterogeneity of [0, 2]) {
      const p = make({ heterogeneity, l2: 0.01 }, 5);
      const g = new Float64Array(p.dimension);
      p.gradient64(p.xStar, g);
      expect(norm(g)).toBeLessThan(1e-10);
      const fStar = p.objective64(p.xStar);
      const rng = new RandomStreams(6).stream("perturb");
      for (let r = 0; r < 20; r++) {
        const delta = randomVector(rng, p.dimension, 1e-3);
        const y = p.xStar.map((v, j) => v + delta[j]!);
        expect(p.objective64(y)).toBeGreaterThanOrEqual(fStar);
      }
      // Through the kernels too: the optimum is x* in float32.
      const kernels = new CpuKernels();
      const star = p.optimum(kernels);
      expect(distance(star.data!, p.xStar)).toBeLessThan(1e-6 * (1 + norm(p.xStar)));
    }
  });

  it("has 0 < μ ≤ L, the extreme eigenvalues of its Hessian (checked numerically)", () => {
    const p = make({ heterogeneity: 1, l2: 0.2 }, 3);
    expect(p.mu).toBeGreaterThan(0.2);
    expect(p.mu).toBeLessThanOrEqual(p.L);
    const d = p.dimension;
    const rng = new RandomStreams(8).stream("directions");
    const x = randomVector(rng, d);
    const gx = new Float64Array(d);
    const gy = new Float64Array(d);
    p.gradient64(x, gx);
    for (let r = 0; r < 50; r++) {
      // The objective is quadratic: (∇f(x+v) − ∇f(x))·v / ‖v‖² = vᵀHv/vᵀv ∈ [μ, L].
      const v = randomVector(rng, d);
      p.gradient64(
        x.map((xi, j) => xi + v[j]!),
        gy,
      );
      let q = 0;
      for (let j = 0; j < d; j++) q += (gy[j]! - gx[j]!) * v[j]!;
      q /= norm(v) ** 2;
      expect(q).toBeGreaterThanOrEqual(p.mu * (1 - 1e-9));
      expect(q).toBeLessThanOrEqual(p.L * (1 + 1e-9));
    }
    // Power iteration on H reaches L; on L·I − H reaches L − μ.
    const power = (apply: (v: Float64Array) => Float64Array) => {
      let v = randomVector(rng, d);
      let lambda = 0;
      for (let i = 0; i < 2000; i++) {
        const w = apply(v);
        lambda = norm(w) / norm(v);
        v = w.map((wi) => wi / norm(w));
      }
      return lambda;
    };
    const h = (v: Float64Array) => {
      const out = new Float64Array(d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i]! += p.hessian[i * d + j]! * v[j]!;
      return out;
    };
    expect(power(h)).toBeCloseTo(p.L, 6);
    expect(p.L - power((v) => h(v).map((hv, i) => p.L * v[i]! - hv))).toBeCloseTo(p.mu, 6);
  });

  it("is deterministic per seed", () => {
    const a = make({ heterogeneity: 1 }, 3, 11);
    const b = make({ heterogeneity: 1 }, 3, 11);
    const c = make({ heterogeneity: 1 }, 3, 12);
    expect([...a.xStar]).toEqual([...b.xStar]);
    expect([...a.features[2]!]).toEqual([...b.features[2]!]);
    expect([...a.targets[2]!]).toEqual([...b.targets[2]!]);
    expect(a.mu).toBe(b.mu);
    expect([...a.features[2]!]).not.toEqual([...c.features[2]!]);
  });

  it("gives worker i the same shard whatever the number of workers", () => {
    for (const heterogeneity of [0, 1.5]) {
      const four = make({ heterogeneity }, 4);
      const eight = make({ heterogeneity }, 8);
      expect([...four.features[2]!]).toEqual([...eight.features[2]!]);
      expect([...four.targets[2]!]).toEqual([...eight.targets[2]!]);
    }
  });

  it("makes shards heterogeneous with h > 0 (worker-specific feature means)", () => {
    const spread = (h: number) => {
      const p = make({ heterogeneity: h, samplesPerWorker: 200, batchSize: 200 }, 6);
      const means = p.features.map((a) => {
        let s = 0;
        for (let k = 0; k < 200; k++) s += a[k * p.dimension]!;
        return s / 200;
      });
      return Math.max(...means) - Math.min(...means);
    };
    expect(spread(0)).toBeLessThan(0.6);
    expect(spread(2)).toBeGreaterThan(1);
  });

  it("converges linearly under gradient descent with step 1/L: ‖x⁺ − x*‖ ≤ (1 − μ/L)‖x − x*‖", () => {
    const p = make({ heterogeneity: 1, l2: 0.05, dimension: 8 }, 4);
    const rate = 1 - p.mu / p.L;
    const x = new Float64Array(p.dimension);
    const g = new Float64Array(p.dimension);
    let dist = distance(x, p.xStar);
    for (let t = 0; t < 60; t++) {
      p.gradient64(x, g);
      for (let j = 0; j < p.dimension; j++) x[j]! -= g[j]! / p.L;
      const next = distance(x, p.xStar);
      expect(next).toBeLessThanOrEqual(rate * dist * (1 + 1e-9) + 1e-13);
      dist = next;
    }
    expect(dist).toBeLessThan(1e-3 * distance(new Float64Array(p.dimension), p.xStar));

    // The same through the kernels (float32, full local gradients averaged), down to float32 accuracy.
    const kernels = new CpuKernels();
    const xv = p.initialParameters(kernels);
    const gv = kernels.alloc(p.dimension);
    const sum = kernels.alloc(p.dimension);
    const rng = new RandomStreams(1).stream("unused");
    for (let t = 0; t < 60; t++) {
      kernels.fill(sum, 0);
      for (let w = 0; w < p.workers; w++) {
        p.gradient(w, xv, gv, rng);
        kernels.axpy(sum, 1 / p.workers, gv);
      }
      kernels.axpy(xv, -1 / p.L, sum);
    }
    expect(distance(xv.data!, x)).toBeLessThan(1e-4 * (1 + norm(p.xStar)));
  });
});
