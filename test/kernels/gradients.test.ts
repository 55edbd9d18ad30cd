/**
 * One suite, every WorkerCompute: the gradient and loss of each problem kind with kernels (least
 * squares, logistic regression, the MNIST MLP), over a full local batch and over mini-batches with
 * repeated indices, against a float64 reference computed here from the same float32 x.
 *
 * Tolerance. A coordinate passes when |got − want| ≤ RTOL · max_i |want_i|, and the loss when
 * |got − want| ≤ RTOL · |want|, RTOL = 1e-5. Why relative to the largest coordinate: the device
 * evaluates in float32 (features and pixels rounded to float32, dot products of up to 784 terms with
 * fused multiply-adds, sums over the batch), so a coordinate errs by about k·u times the magnitude of
 * its terms, u = 2⁻²⁴ ≈ 6e-8, whatever the cancellation; coordinates that cancel to nearly zero are
 * only as precise as the gradient's scale. Measured on the GLES llvmpipe adapter over 320 random
 * gradients (4 data seeds, x perturbed up to 10× more than here, the MLP also at h = 64 on
 * 200 digits): worst 1.1e-6 · max|want| for the gradients and 3.8e-7 relative for the losses; the CPU
 * compute (float64 inside, one rounding of its output) 5.5e-8. RTOL sits ≥ 9× above that. Bugs
 * tried deliberately — the ridge term dropped, batch rows not gathered, the loss read at the wrong
 * label, the ReLU mask at < 0 instead of ≤ 0, the 1/B left out — each fail the suite.
 *
 * When no WebGPU adapter opens the WebGPU half is skipped, with the reason and what to install on
 * stderr (never silently).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CpuKernels } from "../../kernels/cpu.ts";
import { CpuCompute } from "../../runtime/compute/cpu.ts";
import { WebGpuCompute } from "../../runtime/compute/webgpu.ts";
import type { WorkerCompute } from "../../runtime/compute/worker-compute.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import type { ProblemSpec } from "../../sim/problems/index.ts";
import type { LinearModelProblem } from "../../sim/problems/linear-model.ts";
import { MlpProblem } from "../../sim/problems/mlp.ts";
import type { Problem } from "../../sim/problems/problem.ts";
import { buildProblem } from "../../sim/scenario/registry/problem-kinds.ts";
import { testGpu } from "./conformance-gpu.ts";

const RTOL = 1e-5;
const WORKERS = 2;

interface Case {
  readonly name: string;
  readonly spec: ProblemSpec;
}

// Small sizes; hidden 20 is not a multiple of the matmul's 8-wide register tiles, so edges are exercised.
const cases: readonly Case[] = [
  {
    name: "least squares, d = 20",
    spec: {
      kind: "least-squares",
      dimension: 20,
      samplesPerWorker: 50,
      batchSize: 8,
      l2: 0.1,
      heterogeneity: 1,
    },
  },
  {
    name: "logistic regression, d = 20",
    spec: { kind: "logistic", dimension: 20, samplesPerWorker: 50, batchSize: 8, l2: 0.5, noise: 0.3 },
  },
  {
    name: "MLP 784 → 20 → 10 on 40 MNIST digits per worker",
    spec: { kind: "mlp", hidden: 20, samplesPerWorker: 40, batchSize: 8 },
  },
];

const problems = new Map<string, Problem>();
function problemFor(c: Case): Problem {
  let p = problems.get(c.name);
  if (p === undefined) {
    p = buildProblem(c.spec, WORKERS, new RandomStreams(2024));
    problems.set(c.name, p);
  }
  return p;
}

/** A point away from the initialisation (biases 0, x = 0 for the linear models), same for every run. */
function testPoint(p: Problem): Float32Array {
  const x = p.initialParameters(new CpuKernels()).data!;
  const rng = new RandomStreams(7).stream("test-point");
  const scale = p instanceof MlpProblem ? 0.05 : 0.5;
  for (let j = 0; j < x.length; j++) x[j] = x[j]! + scale * rng.normal();
  return x;
}

/** The float64 gradient and loss of worker `w` at x over `batch` (undefined: its whole shard). */
function reference(p: Problem, w: number, x: Float32Array, batch: Int32Array | undefined) {
  const g = new Float64Array(p.dimension);
  let loss: number;
  if (p instanceof MlpProblem) {
    const shard = p.shards[w]!;
    loss = p.meanGradient(x, batch === undefined ? shard : Array.from(batch, (k) => shard[k]!), g);
  } else {
    loss = (p as LinearModelProblem).batchGradient(w, x, g, batch);
  }
  return { g, loss };
}

function expectClose(got: Float32Array, gotLoss: number, want: { g: Float64Array; loss: number }): void {
  let scale = 0;
  for (const v of want.g) scale = Math.max(scale, Math.abs(v));
  expect(scale).toBeGreaterThan(0);
  let worst = 0;
  let at = -1;
  for (let j = 0; j < got.length; j++) {
    const e = Math.abs(got[j]! - want.g[j]!);
    if (!(e <= worst)) {
      worst = e;
      at = j;
    }
  }
  expect(worst / scale, `worst coordinate ${at}: got ${got[at]}, want ${want.g[at]}`).toBeLessThanOrEqual(
    RTOL,
  );
  expect(Math.abs(gotLoss - want.loss)).toBeLessThanOrEqual(RTOL * Math.abs(want.loss));
}

/** The batches every compute is checked on, for a shard of m samples; sizes change from call to call. */
function batchesFor(p: Problem, m: number): [string, Int32Array | undefined][] {
  const rng = new RandomStreams(11).stream("test-batches");
  return [
    ["one sample", Int32Array.from([m - 1])],
    ["repeated indices", Int32Array.from([3, 3, 0, m - 1, 3, 0, 17])],
    ["the whole shard (undefined)", undefined],
    ["a drawn batch of batchSize", p.sampleBatch!(1, rng)!],
    ["a drawn batch of m − 1 (with replacement: repeats)", p.sampleBatch!(1, rng, m - 1)!],
  ];
}

function shardSize(p: Problem): number {
  return p instanceof MlpProblem ? p.shards[0]!.length : (p as LinearModelProblem).samplesPerWorker;
}

/** The shared suite: `make` gives the compute under test for a problem. */
function runGradientSuite(make: (p: Problem) => Promise<WorkerCompute>): void {
  for (const c of cases) {
    describe(c.name, () => {
      const p = problemFor(c);
      const m = shardSize(p);
      let compute: WorkerCompute;
      beforeAll(async () => {
        compute = await make(p);
      });
      afterAll(async () => {
        await compute?.close();
      });

      for (const [what, batch] of batchesFor(p, m)) {
        it(`matches the float64 reference on ${what}, on each worker`, async () => {
          const x = testPoint(p);
          for (let w = 0; w < WORKERS; w++) {
            const g = new Float32Array(p.dimension).fill(Number.NaN);
            const loss = await compute.gradient(w, x, batch, g);
            expectClose(g, loss, reference(p, w, x, batch));
          }
        });
      }

      it("gives each worker its own shard, with gradients of two workers in flight together", async () => {
        const x = testPoint(p);
        const batch = Int32Array.from([5, 1, 5]);
        const g0 = new Float32Array(p.dimension);
        const g1 = new Float32Array(p.dimension);
        const [l0, l1] = await Promise.all([
          compute.gradient(0, x, batch, g0),
          compute.gradient(1, x, batch, g1),
        ]);
        expectClose(g0, l0, reference(p, 0, x, batch));
        expectClose(g1, l1, reference(p, 1, x, batch));
        expect(l0).not.toBe(l1);
      });
    });
  }

  it("refuses a problem with no gradient kernels (quadratic) with an error naming it", async () => {
    const quadratic = buildProblem({ kind: "quadratic", dimension: 10 }, WORKERS, new RandomStreams(1));
    await expect(make(quadratic)).rejects.toThrow(/quadratic/);
  });
}

describe("cpu", () => {
  runGradientSuite(async (p) => new CpuCompute(p));
});

const gpu = await testGpu();

describe.skipIf(gpu.ctx === undefined)(
  `webgpu (${gpu.ctx === undefined ? gpu.skipReason : gpu.description})`,
  () => {
    // One device for the file (Dawn gives an adapter one device): the computes borrow it.
    runGradientSuite((p) => {
      if (gpu.ctx === undefined) throw new Error(gpu.skipReason);
      return WebGpuCompute.onDevice(p, gpu.ctx.device, gpu.description);
    });
  },
);
