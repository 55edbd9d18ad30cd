import { CpuKernels } from "../kernels/cpu.ts";
import { RandomStreams } from "../sim/engine/index.ts";
import type { Problem } from "../sim/problems/problem.ts";
import type { WorkerCompute } from "./compute/worker-compute.ts";
import { batchSampler } from "./sample-batch.ts";

/**
 * Seconds per gradient of each worker's device, measured before the run (one warm-up, then the median
 * of `rounds`), one worker at a time so that no measurement includes another's work. Schedules set
 * their clocks from it (`meanGradientTime`: gossip's exchange rate, A²CiD²'s time unit) before the
 * first real gradient. Batches come from a stream of their own, so the run's batches are unchanged.
 */
export async function timeGradientsBeforeRun(
  problem: Problem,
  computes: readonly WorkerCompute[],
  seed: number,
  rounds: number,
): Promise<number[]> {
  const sample = batchSampler(problem);
  const x = problem.initialParameters(new CpuKernels()).data!;
  const g = new Float32Array(problem.dimension);
  const streams = new RandomStreams(seed);
  const seconds: number[] = [];
  for (let w = 0; w < computes.length; w++) {
    const rng = streams.stream("runtime-calibration", w);
    const times: number[] = [];
    for (let r = 0; r <= rounds; r++) {
      const batch = sample(w, rng);
      const start = performance.now();
      await computes[w]!.gradient(w, x, batch, g);
      // Round 0 warms up (pipelines compiled, buffers allocated) and is not counted.
      if (r > 0) times.push((performance.now() - start) / 1000);
    }
    times.sort((a, b) => a - b);
    seconds.push(times[Math.floor(times.length / 2)]!);
  }
  return seconds;
}
