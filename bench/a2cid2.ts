import { CpuKernels } from "../kernels/cpu.ts";
import { runScenario } from "../sim/run.ts";
import { decodeScenario } from "../sim/scenario/decode.ts";
import { CountingKernels } from "./counting-kernels.ts";

/**
 * A²CiD² in the theory model on a ring, least squares with d parameters. The gradient itself is
 * cheap (a few samples), so the run is dominated by the vector kernels: the mixing, the exchanges,
 * the SGD steps and the metric samples.
 */
function a2cid2Scenario(workers: number, dimension: number, numerics: "real" | "shape", time: number) {
  return decodeScenario({
    name: `a2cid2-ring-${workers}-${numerics}`,
    numerics,
    cluster: { workers, topology: { kind: "ring" } },
    schedule: { kind: "a2cid2", fidelity: "theory", rate: 1, lr: 0.01, sampleEvery: `${time / 4} s` },
    problem: { kind: "least-squares", dimension, samplesPerWorker: 2, batchSize: 1, l2: 1 },
    stop: { time: `${time} s` },
  });
}

export interface KernelRunResult {
  /** Bytes moved by vector kernels per second of the whole run's wall time, GB/s. */
  readonly runGBs: number;
  /** A plain Float32Array loop (y += a·x) over the same vector length, GB/s. */
  readonly plainGBs: number;
  readonly events: number;
}

/** Numeric A²CiD² on a `workers` ring with d = `dimension`: kernel bytes per wall second. */
export function numericA2cid2(workers: number, dimension: number, time: number): KernelRunResult {
  const kernels = new CountingKernels(new CpuKernels());
  const t0 = performance.now();
  const result = runScenario(a2cid2Scenario(workers, dimension, "real", time), { kernels });
  const seconds = (performance.now() - t0) / 1000;
  return { runGBs: kernels.bytes / seconds / 1e9, plainGBs: plainLoopGBs(dimension), events: result.events };
}

/** Shape-only A²CiD² at `workers`: events per second of the event loop. */
export function shapeA2cid2EventsPerSecond(workers: number, time: number): number {
  let best = 0;
  for (let run = 0; run < 3; run++) {
    const result = runScenario(a2cid2Scenario(workers, 100_000, "shape", time));
    best = Math.max(best, result.eventsPerSecond);
  }
  return best;
}

/** y += a·x over Float32Arrays of `length`, repeated for about half a second: 12 bytes per element. */
function plainLoopGBs(length: number): number {
  const x = new Float32Array(length).fill(1);
  const y = new Float32Array(length);
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const reps = Math.max(1, Math.floor(2e7 / length));
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) for (let i = 0; i < length; i++) y[i] = y[i]! + 1e-3 * x[i]!;
    const seconds = (performance.now() - t0) / 1000;
    best = Math.max(best, (12 * length * reps) / seconds / 1e9);
  }
  return best;
}
