import { describe, expect, it } from "vitest";
import type { RunResult } from "../../../sim/result.ts";
import { runScenario } from "../../../sim/run.ts";
import { decodeScenario } from "../../../sim/scenario/decode.ts";
import { count } from "./helpers.ts";

/**
 * Bytes each worker sends, read from the network's `bytesSent` (what the ring collectives put on the
 * wire), against the reference's per-step volumes [§4.3, §6.5–6.6]: P = 36·10⁶ bf16 values (GPT-Neo
 * 36M, B = 2 bytes), n = 4 workers on a switch.
 * - ZeRO-1: RS + AG = 2(n−1)/n·P·B per worker per step; DDP's all-reduce the same; DDP in 4 buckets too.
 * - ACCO: each round is RS + AG of P values plus the all-reduce of one count value (2(n−1)/n·B), and an
 *   optimizer step takes two rounds: 2× ZeRO-1's bytes per step.
 * The run is stopped at a quiet time (no collective in flight), found from a first run, so the bytes
 * are a whole number of steps' (or rounds').
 */

const WORKERS = 4;
const P = 36e6;
const B = 2;
const ringShare = (2 * (WORKERS - 1)) / WORKERS;
const zero1Step = ringShare * P * B;

function run(kind: string, schedule: Record<string, unknown>, time: number): RunResult {
  return runScenario(
    decodeScenario({
      cluster: { workers: WORKERS, network: { bandwidth: "100 Gb/s", latency: "5 us" } },
      problem: { kind: "preset", model: "gpt-neo-36m" },
      schedule: { kind, ...schedule },
      stop: { time },
    }),
  );
}

/** Reruns with the horizon halfway through the last gap between collectives after 80 % of the run. */
function runQuiet(kind: string, schedule: Record<string, unknown> = {}): RunResult {
  const first = run(kind, schedule, 3);
  const busy = first.collectives.map((c) => [c.start, c.end] as const).sort((a, b) => a[0] - b[0]);
  let end = 0;
  for (const [start, stop] of busy) {
    if (start > 0.8 * first.simTime && start > end) return run(kind, schedule, (end + start) / 2);
    end = Math.max(end, stop);
  }
  throw new Error("no quiet time found");
}

describe("bytes on the wire per worker", () => {
  it("ZeRO-1 sends 2(n−1)/n·P·B per step", () => {
    const result = runQuiet("zero1");
    for (const w of result.workers) {
      expect(count(w, "steps")).toBeGreaterThan(50);
      expect(w.bytesSent / count(w, "steps")).toBeCloseTo(zero1Step, -1);
    }
  });

  it("DDP's all-reduce sends the same per step, bucketed or not", () => {
    for (const buckets of [1, 4]) {
      const result = runQuiet("allreduce-sgd", { buckets });
      for (const w of result.workers) expect(w.bytesSent / count(w, "steps")).toBeCloseTo(zero1Step, -1);
      expect(result.collectives.length).toBe(count(result.workers[0]!, "steps") * buckets);
    }
  });

  it("ACCO sends RS + AG + a count per round, two rounds per optimizer step: 2× ZeRO-1", () => {
    const result = runQuiet("acco");
    const zero1 = runQuiet("zero1").workers[0]!;
    const zero1PerStep = zero1.bytesSent / count(zero1, "steps");
    const perRound = ringShare * (P + 1) * B;
    for (const w of result.workers) {
      const rounds = count(w, "rounds");
      expect(count(w, "steps")).toBe(Math.floor(rounds / 2));
      expect(rounds).toBeGreaterThan(50);
      expect(w.bytesSent / rounds).toBeCloseTo(perRound, -1);
      // Per optimizer step (two rounds) against ZeRO-1's measured step: 2×, up to the counts' 3 bytes.
      const perStep = (2 * w.bytesSent) / rounds;
      expect(Math.abs(perStep / zero1PerStep - 2)).toBeLessThan(1e-7);
      expect(perStep / zero1PerStep).toBeGreaterThan(2);
    }
  });
});

describe("DDP buckets", () => {
  it("overlap the all-reduce with the backward when the network is the bottleneck", () => {
    // 10 Gb/s: the 72 MB all-reduce takes 2·¾·72 MB / 1.25 GB/s = 86.4 ms against T = 35.4 ms per
    // micro-batch. Unbucketed: T + AR + opt. Four buckets of AR/4 each, ready at T/2, 2T/3, 5T/6 and T,
    // run back to back from T/2 on (each lasts 21.6 ms > T/6): T/2 + AR + opt. The saving is T/2.
    const period = (buckets: number) => {
      const result = runScenario(
        decodeScenario({
          cluster: { workers: WORKERS, network: { bandwidth: "10 Gb/s", latency: "5 us" } },
          problem: { kind: "preset", model: "gpt-neo-36m" },
          schedule: { kind: "allreduce-sgd", buckets },
          stop: { time: 3 },
        }),
      );
      const steps = count(result.workers[0]!, "steps");
      const lastEnds = result.collectives.filter((_, i) => (i + 1) % buckets === 0).map((c) => c.end);
      expect(lastEnds.length).toBe(steps);
      return (lastEnds.at(-1)! - lastEnds[0]!) / (steps - 1);
    };
    const T = (6 * 36e6 * 512 * 16) / 50e12;
    const allReduce = (ringShare * P * B) / 1.25e9;
    const opt = (P * 28) / 2e12;
    expect(period(1) / (T + allReduce + opt)).toBeCloseTo(1, 2);
    expect(period(4) / (T / 2 + allReduce + opt)).toBeCloseTo(1, 2);
  });
});
