/**
 * WebGpuCompute.create: the compute that opens and owns its device (a file of its own, because Dawn
 * gives an adapter one device per process and gradients.test.ts's suite holds that one). Skipped,
 * with the reason and what to install on stderr, when no adapter opens.
 */
import { describe, expect, it } from "vitest";
import { WebGpuCompute } from "../../runtime/compute/webgpu.ts";
import { GpuUnavailableError, openAdapter } from "../../runtime/gpu/dawn.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import { buildProblem } from "../../sim/scenario/registry/problem-kinds.ts";

async function skipReason(): Promise<string | undefined> {
  try {
    await openAdapter();
    return undefined;
  } catch (error) {
    if (!(error instanceof GpuUnavailableError)) throw error;
    const reason = `WebGPU gradient tests skipped: ${error.message}`;
    console.warn(reason);
    return reason;
  }
}

const reason = await skipReason();

describe.skipIf(reason !== undefined)(
  `WebGpuCompute.create${reason === undefined ? "" : ` (${reason})`}`,
  () => {
    it("labels itself with the adapter, refuses an index outside the shard, and closes its device once", async () => {
      const p = buildProblem(
        { kind: "least-squares", dimension: 20, samplesPerWorker: 50, batchSize: 8 },
        2,
        new RandomStreams(3),
      );
      const compute = await WebGpuCompute.create(p);
      const x = new Float32Array(20).fill(0.5);
      const g = new Float32Array(20);
      expect(compute.label).toMatch(/^webgpu \(.+\)$/);
      await expect(compute.gradient(1, x, Int32Array.from([0, 50]), g)).rejects.toThrow(
        /batch\[1\] = 50 is outside the shard/,
      );
      await expect(compute.gradient(2, x, undefined, g)).rejects.toThrow(/worker 2/);
      const loss = await compute.gradient(1, x, undefined, g);
      expect(loss).toBeCloseTo(p.gradientOnBatch!(1, x, undefined, new Float32Array(20)), 4);
      await compute.close();
      await compute.close();
      await expect(compute.gradient(1, x, undefined, g)).rejects.toThrow(/after close/);
    });
  },
);
