/**
 * The host-side split the runtime relies on: `problem.gradient(w, x, g, rng)` is, bit for bit and draw
 * for draw, `gradientOnBatch(w, x, sampleBatch(w, rng), g)` — so a run whose gradients are computed
 * elsewhere (a GPU, another process) sees the simulator's samples in the simulator's order.
 */
import { describe, expect, it } from "vitest";
import { CpuKernels } from "../../kernels/cpu.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import type { ProblemSpec } from "../../sim/problems/index.ts";
import { buildProblem } from "../../sim/scenario/registry/problem-kinds.ts";

const specs: readonly [string, ProblemSpec][] = [
  [
    "least squares, mini-batches",
    { kind: "least-squares", dimension: 12, samplesPerWorker: 30, batchSize: 5, l2: 0.2 },
  ],
  ["least squares, full batches", { kind: "least-squares", dimension: 12, samplesPerWorker: 30 }],
  ["logistic, mini-batches", { kind: "logistic", dimension: 12, samplesPerWorker: 30, batchSize: 7 }],
  ["MLP, mini-batches", { kind: "mlp", hidden: 8, samplesPerWorker: 30, batchSize: 6 }],
  ["MLP, full batches", { kind: "mlp", hidden: 8, samplesPerWorker: 12, batchSize: 12 }],
];

describe("gradient = gradientOnBatch ∘ sampleBatch", () => {
  for (const [name, spec] of specs) {
    it(`${name}: same gradients, losses and draws over consecutive steps`, () => {
      const p = buildProblem(spec, 3, new RandomStreams(5));
      const kernels = new CpuKernels();
      const x = p.initialParameters(kernels);
      const g = kernels.alloc(p.dimension);
      const split = new Float32Array(p.dimension);
      const whole = new RandomStreams(9).stream("sampling");
      const parts = new RandomStreams(9).stream("sampling");
      for (let step = 0; step < 6; step++) {
        const w = step % 3;
        const loss = p.gradient(w, x, g, whole);
        const batch = p.sampleBatch!(w, parts);
        expect(batch === undefined).toBe(p.batchSize >= (spec.samplesPerWorker as number));
        const splitLoss = p.gradientOnBatch!(w, x.data!, batch, split);
        expect(splitLoss).toBe(loss);
        expect(split).toEqual(g.data);
        for (let j = 0; j < p.dimension; j++) x.data![j] = x.data![j]! - 0.05 * g.data![j]!;
      }
      // Both streams made the same number of draws.
      expect(parts.uniform()).toBe(whole.uniform());
    });
  }

  it("draws `samples` indices in the shard when asked for another size, and nothing for the whole shard", () => {
    const p = buildProblem(specs[0]![1], 2, new RandomStreams(5));
    const rng = new RandomStreams(1).stream("s");
    const control = new RandomStreams(1).stream("s");
    const batch = p.sampleBatch!(1, rng, 29)!;
    expect(batch.length).toBe(29);
    expect(batch.every((k) => k >= 0 && k < 30)).toBe(true);
    for (const k of batch) expect(k).toBe(control.int(30));
    expect(p.sampleBatch!(1, rng, 30)).toBeUndefined();
    expect(rng.uniform()).toBe(control.uniform());
  });
});
