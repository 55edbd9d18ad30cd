import type { CalibrationProfile } from "../../sim/calibration/profile.ts";
import { RandomStreams } from "../../sim/engine/index.ts";
import type { ProblemSpec } from "../../sim/problems/index.ts";
import type { Problem } from "../../sim/problems/problem.ts";
import { buildProblem } from "../../sim/scenario/registry/problem-kinds.ts";
import type { WorkerCompute } from "../compute/worker-compute.ts";
import { medianSeconds } from "./timing.ts";

/**
 * Gradient times of the problems the runtime can compute, one worker alone, at several batch sizes
 * (to separate the fixed cost of a gradient from its per-FLOP cost); what k workers do at once is
 * concurrency.ts. `openCompute` gives a compute for a problem (a device of its own on WebGPU).
 */
export type OpenCompute = (problem: Problem) => Promise<WorkerCompute>;

/** One entry of the profile's `gradients`. */
export type GradientMeasurement = CalibrationProfile["gradients"][number];

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

export function problemFor(spec: ProblemSpec, batch: number, workers: number): Problem {
  return buildProblem({ ...spec, batchSize: batch } as ProblemSpec, workers, new RandomStreams(1));
}

/** Mean seconds per gradient over `count` back to back; each one's seconds go to `each` if given. */
export async function oneGradientLoop(
  problem: Problem,
  compute: WorkerCompute,
  worker: number,
  count: number,
  each?: number[],
): Promise<number> {
  const x = new Float32Array(problem.dimension);
  const g = new Float32Array(problem.dimension);
  const rng = new RandomStreams(2).stream("calibration", worker);
  const start = performance.now();
  let last = start;
  for (let i = 0; i < count; i++) {
    await compute.gradient(worker, x, problem.sampleBatch?.(worker, rng), g);
    if (each !== undefined) {
      const now = performance.now();
      each.push((now - last) / 1000);
      last = now;
    }
  }
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
