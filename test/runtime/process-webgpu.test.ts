import { describe, expect, it } from "vitest";
import { CpuCompute } from "../../runtime/compute/cpu.ts";
import { startCluster } from "../../runtime/process/cluster.ts";
import { WorkerStartError } from "../../runtime/process/errors.ts";
import type { ProblemSource } from "../../runtime/process/protocol.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import { buildProblem } from "../../sim/scenario/registry/problem-kinds.ts";

const source: ProblemSource = {
  seed: 4,
  workers: 2,
  spec: { kind: "logistic", dimension: 16, samplesPerWorker: 64, batchSize: 8 },
};

describe("WebGPU workers in their own processes", () => {
  it("compute the CPU gradients to float32 accuracy", async (context) => {
    const lines: string[] = [];
    const started = await startCluster({
      workers: 2,
      problem: source,
      device: "webgpu",
      log: (l) => lines.push(l),
    }).then(
      (cluster) => ({ cluster }),
      (error: unknown) => ({ error }),
    );
    if ("error" in started) {
      // No adapter on this machine: say why, rather than pass silently.
      if (
        started.error instanceof WorkerStartError &&
        /no (Vulkan )?WebGPU adapter|cannot load the npm package "webgpu"/.test(started.error.message)
      ) {
        console.log(`skipped: ${started.error.message}`);
        context.skip();
      }
      throw started.error;
    }
    const { cluster } = started;
    try {
      // Dawn's "artificially reduced" warnings are filtered out of the workers' output.
      expect(lines.filter((l) => /artificially reduced/.test(l))).toEqual([]);
      const problem = buildProblem(source.spec, source.workers, new RandomStreams(source.seed));
      const cpu = new CpuCompute(problem);
      const rng = new RandomStreams(8).stream("batches");
      for (let worker = 0; worker < 2; worker++) {
        expect(cluster.compute(worker).label).toMatch(/^process \d+ \/ webgpu/);
        const x = new Float32Array(problem.dimension).map(() => rng.normal());
        const batch = problem.sampleBatch!(worker, rng);
        const expected = new Float32Array(problem.dimension);
        const remote = new Float32Array(problem.dimension);
        const expectedLoss = await cpu.gradient(worker, x, batch, expected);
        const remoteLoss = await cluster.compute(worker).gradient(worker, x, batch, remote);
        expect(remoteLoss).toBeCloseTo(expectedLoss, 4);
        for (let j = 0; j < problem.dimension; j++) expect(remote[j]).toBeCloseTo(expected[j]!, 4);
      }
    } finally {
      await cluster.close();
    }
  }, 120_000);
});
