import { RandomStreams } from "../../sim/engine/index.ts";
import { buildProblem, type ProblemSpec } from "../../sim/problems/index.ts";
import type { Problem } from "../../sim/problems/problem.ts";
import type { WorkerCompute } from "../compute/worker-compute.ts";
import { medianSeconds } from "./timing.ts";

/**
 * Gradient times of the problems the runtime can compute, at several batch sizes (to separate the
 * fixed cost of a gradient from its per-FLOP cost), and the slowdown when k workers of this machine
 * compute at once. `openCompute` gives a compute for a problem (a device of its own on WebGPU).
 */
export type OpenCompute = (problem: Problem) => Promise<WorkerCompute>;

export interface GradientMeasurement {
  readonly problem: string;
  readonly dimension: number;
  readonly batch: number;
  readonly flops: number;
  readonly seconds: number;
}

export interface ConcurrencyMeasurement {
  readonly problem: string;
  readonly workers: number;
  readonly slowdown: number;
}

/** The problems calibrated, at the sizes of the validation scenarios; batch sizes vary per measurement. */
export const CALIBRATION_PROBLEMS: readonly {
  readonly spec: ProblemSpec;
  readonly batches: readonly number[];
  /** Worker counts whose concurrency is measured (up to the validation scenarios' for that kind). */
  readonly workers: readonly number[];
}[] = [
  {
    spec: { kind: "logistic", dimension: 500, samplesPerWorker: 512 },
    batches: [8, 32, 128],
    workers: [2, 4, 8],
  },
  {
    spec: { kind: "least-squares", dimension: 500, samplesPerWorker: 512 },
    batches: [8, 32, 128],
    workers: [2, 4, 8],
  },
  { spec: { kind: "mlp", hidden: 64, samplesPerWorker: 256 }, batches: [8, 32, 128], workers: [2, 4] },
];

function problemFor(spec: ProblemSpec, batch: number, workers: number): Problem {
  return buildProblem({ ...spec, batchSize: batch } as ProblemSpec, workers, new RandomStreams(1));
}

async function oneGradientLoop(
  problem: Problem,
  compute: WorkerCompute,
  worker: number,
  count: number,
): Promise<number> {
  const x = new Float32Array(problem.dimension);
  const g = new Float32Array(problem.dimension);
  const rng = new RandomStreams(2).stream("calibration", worker);
  const start = performance.now();
  for (let i = 0; i < count; i++) await compute.gradient(worker, x, problem.sampleBatch?.(worker, rng), g);
  return (performance.now() - start) / 1000 / count;
}

export async function measureGradients(
  openCompute: OpenCompute,
  reps: number,
  progress: (line: string) => void,
): Promise<GradientMeasurement[]> {
  const out: GradientMeasurement[] = [];
  for (const { spec, batches } of CALIBRATION_PROBLEMS) {
    for (const batch of batches) {
      const problem = problemFor(spec, batch, 1);
      const compute = await openCompute(problem);
      try {
        const x = new Float32Array(problem.dimension);
        const g = new Float32Array(problem.dimension);
        const rng = new RandomStreams(2).stream("calibration", 0);
        const seconds = await medianSeconds(
          reps,
          () => compute.gradient(0, x, problem.sampleBatch?.(0, rng), g),
          2,
        );
        out.push({
          problem: spec.kind,
          dimension: problem.dimension,
          batch,
          flops: problem.flopsPerSample * batch,
          seconds,
        });
        progress(`gradient ${spec.kind} batch ${batch}: ${(seconds * 1e3).toFixed(3)} ms`);
      } finally {
        await compute.close();
      }
    }
  }
  return out;
}

/** k workers' computes for a problem, started together (worker processes, as validate runs them). */
export type StartWorkers = (
  problem: Problem,
  source: { readonly seed: number; readonly workers: number; readonly spec: ProblemSpec },
) => Promise<{ readonly computes: readonly WorkerCompute[]; close(): Promise<void> }>;

/**
 * Seconds per gradient of one worker when `k` workers (each its own process and device, as validate
 * runs them) compute back to back at the same time, over the seconds of one worker computing alone in
 * this process (what the fits measured): the contention of this machine's cores plus the process hop.
 * At the middle batch size of each problem.
 */
export async function measureConcurrency(
  openCompute: OpenCompute,
  startWorkers: StartWorkers,
  maxWorkers: number,
  gradientsEach: number,
  progress: (line: string) => void,
): Promise<ConcurrencyMeasurement[]> {
  const out: ConcurrencyMeasurement[] = [];
  for (const { spec, batches, workers } of CALIBRATION_PROBLEMS) {
    const batch = batches[Math.floor(batches.length / 2)]!;
    const alone = problemFor(spec, batch, 1);
    const compute = await openCompute(alone);
    let solo: number;
    try {
      await oneGradientLoop(alone, compute, 0, 1);
      solo = await oneGradientLoop(alone, compute, 0, gradientsEach);
    } finally {
      await compute.close();
    }
    out.push({ problem: spec.kind, workers: 1, slowdown: 1 });
    for (const k of workers) {
      if (k > maxWorkers) continue;
      if (k === 1) continue;
      const problem = problemFor(spec, batch, k);
      const started = await startWorkers(problem, {
        seed: 1,
        workers: k,
        spec: { ...spec, batchSize: batch } as ProblemSpec,
      });
      try {
        // One warm-up gradient each (pipelines, buffers), then the timed loops, all at once.
        await Promise.all(started.computes.map((c, w) => oneGradientLoop(problem, c, w, 1)));
        const perWorker = await Promise.all(
          started.computes.map((c, w) => oneGradientLoop(problem, c, w, gradientsEach)),
        );
        const seconds = perWorker.reduce((a, b) => a + b, 0) / k;
        out.push({ problem: spec.kind, workers: k, slowdown: seconds / solo });
        progress(
          `${k} worker processes at once, ${spec.kind}: ${(seconds * 1e3).toFixed(3)} ms per gradient (×${(seconds / solo).toFixed(2)} of one alone)`,
        );
      } finally {
        await started.close();
      }
    }
  }
  return out;
}
