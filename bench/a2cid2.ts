import { CpuKernels } from "../kernels/cpu.ts";
import { runScenario } from "../sim/run.ts";
import { decodeScenario } from "../sim/scenario/decode.ts";
import { CountingKernels } from "./counting-kernels.ts";

/**
 * A²CiD² in the theory model on a ring, on the separable quadratic with d parameters: every step of
 * the run is a pass over d-vectors (the mixing, the exchanges, the SGD steps, the gradient itself,
 * the metric samples), so the run's speed is its vector kernels' speed plus the simulator's overhead.
 */
function a2cid2Scenario(workers: number, dimension: number, numerics: "real" | "shape", time: number) {
  return decodeScenario({
    name: `a2cid2-ring-${workers}-${numerics}`,
    numerics,
    cluster: { workers, topology: { kind: "ring" } },
    schedule: { kind: "a2cid2", fidelity: "theory", rate: 1, lr: 0.01, sampleEvery: `${time / 4} s` },
    problem: { kind: "quadratic", dimension },
    stop: { time: `${time} s` },
  });
}

/** The quadratic's gradient reads x, the centre and the curvatures and writes g: 16 bytes per coordinate. */
const GRADIENT_BYTES_PER_COORDINATE = 16;

export interface KernelRunResult {
  /** Bytes moved by vector kernels and gradients per second of the event loop's wall time, GB/s. */
  readonly runGBs: number;
  /** A plain Float32Array loop (y += a·x) over the same vector length, GB/s. */
  readonly plainGBs: number;
  readonly events: number;
}

/** Numeric A²CiD² on a `workers` ring with d = `dimension`: kernel bytes per wall second. */
export function numericA2cid2(workers: number, dimension: number, time: number): KernelRunResult {
  const kernels = new CountingKernels(new CpuKernels());
  const result = runScenario(a2cid2Scenario(workers, dimension, "real", time), { kernels });
  const gradients = result.workers.reduce((sum, w) => sum + (w.counts.gradients ?? 0), 0);
  const bytes = kernels.bytes + gradients * GRADIENT_BYTES_PER_COORDINATE * dimension;
  return { runGBs: bytes / result.wallTime / 1e9, plainGBs: plainLoopGBs(dimension), events: result.events };
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
