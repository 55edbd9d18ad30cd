import { describe, expect, it } from "vitest";
import { CpuKernels } from "../../kernels/cpu.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import { QuadraticProblem } from "../../sim/problems/quadratic.ts";

const kernels = new CpuKernels();
const options = { dimension: 50, condition: 20, heterogeneity: 2, noise: 0 };

describe("the separable quadratic", () => {
  it("has μ, L within [1, κ], and its average gradient vanishes at x*", () => {
    const problem = new QuadraticProblem(options, 6, new RandomStreams(3));
    expect(problem.mu).toBeGreaterThanOrEqual(1);
    expect(problem.L).toBeLessThanOrEqual(20);
    expect(problem.L / problem.mu).toBeGreaterThan(5);
    const xStar = problem.optimum(kernels);
    const g = kernels.alloc(50);
    const sum = new Float64Array(50);
    const rng = new RandomStreams(1).stream("unused");
    for (let w = 0; w < 6; w++) {
      problem.gradient(w, xStar, g, rng);
      for (let k = 0; k < 50; k++) sum[k]! += g.data![k]!;
    }
    for (const v of sum) expect(Math.abs(v / 6)).toBeLessThan(1e-4 * problem.L);
  });

  it("gradient matches finite differences of the local objective, and x* minimises the loss", () => {
    const problem = new QuadraticProblem(options, 4, new RandomStreams(5));
    const rng = new RandomStreams(1).stream("unused");
    const x = kernels.fromArray(Array.from({ length: 50 }, (_, k) => Math.sin(k)));
    const g = kernels.alloc(50);
    const f0 = problem.gradient(2, x, g, rng);
    const h = 1e-2;
    for (const k of [0, 17, 49]) {
      const xp = kernels.fromArray(x.data!);
      xp.data![k] = x.data![k]! + h;
      const f1 = problem.gradient(2, xp, kernels.alloc(50), rng);
      // f is quadratic in x_k: the forward difference is g_k + h·h_k/2 exactly; h_k ≤ κ = 20.
      expect(Math.abs((f1 - f0) / h - g.data![k]!)).toBeLessThan((h * 20) / 2 + 1e-2);
    }
    const xStar = problem.optimum(kernels);
    const perturbed = kernels.fromArray(xStar.data!.map((v, k) => v + (k % 2 === 0 ? 0.01 : -0.01)));
    expect(problem.loss(xStar)).toBeLessThan(problem.loss(perturbed));
  });

  it("gives worker i the same objective whatever the number of workers", () => {
    const rng = new RandomStreams(1).stream("unused");
    const x = kernels.fromArray(new Float32Array(50).fill(0.5));
    const small = new QuadraticProblem(options, 3, new RandomStreams(9));
    const large = new QuadraticProblem(options, 8, new RandomStreams(9));
    const a = kernels.alloc(50);
    const b = kernels.alloc(50);
    small.gradient(2, x, a, rng);
    large.gradient(2, x, b, rng);
    expect(Array.from(a.data!)).toEqual(Array.from(b.data!));
  });
});
