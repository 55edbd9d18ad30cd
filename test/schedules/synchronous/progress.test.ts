import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import type { RunResult } from "../../../sim/result.ts";
import { runScenario } from "../../../sim/run.ts";
import { decodeScenario } from "../../../sim/scenario/decode.ts";
import { count } from "./helpers.ts";

/**
 * No deadlock and no starvation under random speeds: for every schedule of the family, random speed
 * vectors (0.05× to 1×), accumulation, worker counts and duration families (deterministic or
 * exponential computes), every worker keeps making progress — more micro-batches and more steps at 2H
 * than at H — and the numbers stay finite. Least squares with real numbers, 1 ms micro-batches at
 * speed 1, microsecond collectives.
 *
 * Lower bound at H, for deterministic computes: a step needs at most (accumulation + 1) micro-batch
 * groups of the slowest worker plus its communication (ACCO: two rounds, each at most one group of the
 * slowest plus one of the others), so every worker has at least ⌊H / (2·(accumulation + 1)·T_max)⌋ − 2
 * steps, T_max = 1 ms / min speed (communication ≤ 0.1 ms per round here is absorbed by the + 1).
 */

const kinds = ["allreduce-sgd", "zero1", "dpu", "acco"] as const;

function run(
  kind: string,
  speeds: readonly number[],
  accumulation: number,
  duration: string,
  seed: number,
  time: number,
): RunResult {
  return runScenario(
    decodeScenario({
      seed,
      cluster: {
        workers: speeds.length,
        device: { peakFlops: "4 MFLOP/s", efficiency: 1, duration },
        devices: speeds.map((speed, worker) => ({ worker, speed })),
        network: { bandwidth: "10 Gb/s", latency: "2 us" },
      },
      problem: { kind: "least-squares", dimension: 10, samplesPerWorker: 40, batchSize: 10 },
      schedule: { kind, accumulation, optimizer: { kind: "sgd", lr: 0.02, momentum: 0.5 } },
      stop: { time },
    }),
  );
}

describe("progress under random speeds", () => {
  test.prop(
    [
      fc.constantFrom(...kinds),
      fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 2, maxLength: 5 }),
      fc.integer({ min: 1, max: 3 }),
      fc.constantFrom("deterministic", "exponential"),
      fc.integer({ min: 1, max: 1000 }),
    ],
    { numRuns: 40, seed: 20241 },
  )("every worker keeps stepping", (kind, speeds, accumulation, duration, seed) => {
    const H = 0.12;
    const early = run(kind, speeds, accumulation, duration, seed, H);
    const late = run(kind, speeds, accumulation, duration, seed, 2 * H);
    const tMax = 1e-3 / Math.min(...speeds);
    const floor = Math.floor(H / (2 * (accumulation + 1) * tMax)) - 2;
    early.workers.forEach((w, i) => {
      const after = late.workers[i]!;
      expect(count(after, "microBatches")).toBeGreaterThan(count(w, "microBatches"));
      expect(count(after, "steps")).toBeGreaterThan(count(w, "steps"));
      if (duration === "deterministic") expect(count(w, "steps")).toBeGreaterThanOrEqual(floor);
    });
    // Synchronous steps: every worker has taken the same number, give or take the one in progress.
    const steps = late.workers.map((w) => count(w, "steps"));
    expect(Math.max(...steps) - Math.min(...steps)).toBeLessThanOrEqual(1);
    expect(Number.isFinite(late.series!.loss!.at(-1)!)).toBe(true);
  });
});
