import type { CalibrationProfile } from "../../sim/calibration/profile.ts";
import type { ProblemSpec } from "../../sim/problems/index.ts";
import type { Problem } from "../../sim/problems/problem.ts";
import type { Transport } from "../compute/transport.ts";
import type { WorkerCompute } from "../compute/worker-compute.ts";
import { CALIBRATION_PROBLEMS, type OpenCompute, oneGradientLoop, problemFor } from "./gradients.ts";
import { medianOf } from "./timing.ts";

/**
 * What k worker processes of this machine do at once, as validate runs them: the slowdown of their
 * gradients over one worker alone, the spread of single gradient times, the vector moves they sustain
 * with nothing else running, and one move's time while they all compute.
 */

/** One entry of the profile's `concurrency` (its schema documents each field). */
export type ConcurrencyMeasurement = CalibrationProfile["concurrency"][number];

/**
 * k workers' computes for a problem, started together (worker processes, as validate runs them), and
 * the transport between them.
 */
export type StartWorkers = (
  problem: Problem,
  source: { readonly seed: number; readonly workers: number; readonly spec: ProblemSpec },
) => Promise<{
  readonly computes: readonly WorkerCompute[];
  readonly transport: Transport;
  close(): Promise<void>;
}>;

/** How long and how often the concurrency measurements run. */
export interface ConcurrencyEffort {
  /** Gradients per worker and loop, at least. */
  readonly gradientsEach: number;
  /** A loop lasts about this long at least (more gradients when they are quick). */
  readonly roundSeconds: number;
  /** Loops per measurement; the median is kept (a 2-core machine's timings jump between runs). */
  readonly rounds: number;
}

/**
 * Seconds per gradient of one worker when `k` workers (each its own process and device, as validate
 * runs them) compute back to back at the same time, over the seconds of one worker computing alone in
 * this process (what the fits measured): the contention of this machine's cores plus the process hop.
 * At the middle batch size of each problem. Then, with the same k processes, the vector moves they
 * sustain with nothing else running, and the time of one move while all k compute.
 */
export async function measureConcurrency(
  openCompute: OpenCompute,
  startWorkers: StartWorkers,
  maxWorkers: number,
  effort: ConcurrencyEffort,
  progress: (line: string) => void,
): Promise<ConcurrencyMeasurement[]> {
  const out: ConcurrencyMeasurement[] = [];
  for (const { spec, batches, workers } of CALIBRATION_PROBLEMS) {
    const batch = batches[Math.floor(batches.length / 2)]!;
    const alone = problemFor(spec, batch, 1);
    const compute = await openCompute(alone);
    let solo: number;
    try {
      solo = await oneGradientLoop(alone, compute, 0, Math.max(2, effort.gradientsEach));
      const count = Math.max(effort.gradientsEach, Math.ceil(effort.roundSeconds / solo));
      solo = await medianOf(effort.rounds, () => oneGradientLoop(alone, compute, 0, count));
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
      // k workers share the cores: each gets about 1/k of what one alone would do in a round.
      const each = Math.max(effort.gradientsEach, Math.ceil(effort.roundSeconds / (solo * k)));
      try {
        // One warm-up gradient each (pipelines, buffers), then the timed loops, all at once.
        await Promise.all(started.computes.map((c, w) => oneGradientLoop(problem, c, w, 1)));
        // Every gradient's own time too: their spread (cv) goes in the profile, for the record.
        const times: number[] = [];
        const seconds = await medianOf(effort.rounds, async () => {
          const perWorker = await Promise.all(
            started.computes.map((c, w) => oneGradientLoop(problem, c, w, each, times)),
          );
          return perWorker.reduce((a, b) => a + b, 0) / k;
        });
        const cv = coefficientOfVariation(times);
        const vector = new Float32Array(problem.dimension);
        const exchangesPerSecond = await medianOf(effort.rounds, () =>
          saturatedExchanges(started.transport, k, vector, each),
        );
        const exchangeSeconds = await medianOf(effort.rounds, () =>
          exchangeUnderLoad(problem, started, vector, each),
        );
        out.push({
          problem: spec.kind,
          workers: k,
          slowdown: seconds / solo,
          ...(cv > 0 ? { cv } : {}),
          exchangesPerSecond,
          exchangeSeconds,
          exchangeBytes: vector.byteLength,
        });
        progress(
          `${k} worker processes at once, ${spec.kind}: ${(seconds * 1e3).toFixed(3)} ms per gradient (×${(seconds / solo).toFixed(2)} of one alone, cv ${cv.toFixed(2)}); ${exchangesPerSecond.toFixed(0)} exchanges/s alone, ${(exchangeSeconds * 1e3).toFixed(2)} ms per exchange while computing`,
        );
      } finally {
        await started.close();
      }
    }
  }
  return out;
}

/** Every worker moves `vector` to the next, `rounds` times back to back, all at once: moves per second. */
async function saturatedExchanges(
  transport: Transport,
  k: number,
  vector: Float32Array,
  rounds: number,
): Promise<number> {
  const chain = async (w: number, count: number) => {
    for (let i = 0; i < count; i++) await transport.move(w, (w + 1) % k, vector);
  };
  await Promise.all(Array.from({ length: k }, (_, w) => chain(w, 1)));
  const start = performance.now();
  await Promise.all(Array.from({ length: k }, (_, w) => chain(w, rounds)));
  return (k * rounds) / ((performance.now() - start) / 1000);
}

/**
 * Mean seconds of one move at a time between two workers (a fixed sequence of distinct pairs) while
 * every worker computes `gradientsEach` gradients back to back: the transport's latency on a machine
 * whose cores the workers keep busy.
 */
async function exchangeUnderLoad(
  problem: Problem,
  started: { readonly computes: readonly WorkerCompute[]; readonly transport: Transport },
  vector: Float32Array,
  gradientsEach: number,
): Promise<number> {
  const k = started.computes.length;
  let computing = true;
  const loops = Promise.all(
    started.computes.map((c, w) => oneGradientLoop(problem, c, w, gradientsEach)),
  ).finally(() => {
    computing = false;
  });
  const times: number[] = [];
  for (let i = 0; computing; i++) {
    const src = i % k;
    const dst = (src + 1 + (Math.floor(i / k) % (k - 1))) % k;
    const start = performance.now();
    await started.transport.move(src, dst, vector);
    if (computing) times.push((performance.now() - start) / 1000);
  }
  await loops;
  return times.length === 0 ? Number.NaN : times.reduce((a, b) => a + b, 0) / times.length;
}

/** Standard deviation over mean of `samples`. */
function coefficientOfVariation(samples: readonly number[]): number {
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length;
  return Math.sqrt(variance) / mean;
}
