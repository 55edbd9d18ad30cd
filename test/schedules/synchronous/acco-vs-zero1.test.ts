import { describe, expect, it } from "vitest";
import type { RunResult } from "../../../sim/result.ts";
import { runScenario } from "../../../sim/run.ts";
import { count, paperScenario } from "./helpers.ts";

/**
 * ACCO against ZeRO-1, GPT-Neo 125M shape-only, on scenarios/papers/acco-vs-zero1.yaml: A100s, NVLink
 * (300 GB/s) inside a node, 100 Gb/s per GPU between nodes; one node (8 workers) against four (32).
 * Paper Table 3 [reference §4.4, §7 target 9]: ACCO saves 5.7 % of ZeRO-1's time on 1×8 and 25.7 % on
 * 4×8: the multi-node gain is far larger than the single-node one.
 *
 * Measured: the steady-state time per micro-batch and worker (tokens are proportional), from the
 * periods between all-gathers over the second half of the run. The paper's configuration: ZeRO-1
 * accumulates 2 micro-batches per step, ACCO 1 per round (two rounds per step: the same tokens).
 *
 * Closed form (reference §6.5 bandwidth terms; our device model): T = 6·Ψ·1024·24 / (312 TFLOP/s·0.4)
 * = 147.9 ms per micro-batch, S = 2Ψ bytes; ring RS = AG = (n−1)/n·S/B with B the bottleneck link
 * (300 GB/s on one node; the 12.5 GB/s NICs the ring crosses on four); ZeRO-1's step on its shard
 * 28·Ψ/n bytes at 2 TB/s; ACCO's two buffer copies h = 4·Ψ·2 bytes at 2 TB/s per round. Then
 *   ZeRO-1: (2T + RS + AG + opt)/2 per micro-batch; ACCO: T + h (its round, ≤ 40 ms, hides under T).
 * Gains: 1 node ≈ 0.2 %, 4 nodes ≈ 11.4 %: the multi-node gain is ≈ 50× the single-node one, because
 * the inter-node comm is 26× the NVLink one ((31/32)/(7/8) × 24) and ACCO's copies eat most of the
 * small single-node saving. Latency terms (2(n−1) steps of 1–10 µs) shift the gains by < 2 %
 * (relative), hence a 5 % tolerance on each; the assertions are the ordering, gain4 > 8 %, gain1 < 1 %
 * and gain4 > 10·gain1. (The paper's 5.7 % on one node came from H100-PCIe, without NVLink.)
 */

const PSI = 125_198_592;
const T = (6 * PSI * 1024 * 24) / (312e12 * 0.4);
const H2D = 2e12;

function closedForm(workers: number, zeroAccumulation: number, accoAccumulation: number) {
  const bottleneck = workers > 8 ? 12.5e9 : 300e9;
  const ring = (((workers - 1) / workers) * 2 * PSI) / bottleneck;
  const opt = ((PSI / workers) * 28) / H2D;
  const h = (4 * PSI * 2) / H2D;
  const zero1 = (zeroAccumulation * T + 2 * ring + opt) / zeroAccumulation;
  const acco = (accoAccumulation * T + h) / accoAccumulation;
  return { zero1, acco, gain: 1 - acco / zero1 };
}

/** Mean period between the ends of all-gathers over the second half of the run. */
function allGatherPeriod(result: RunResult): number {
  const ends = result.collectives.filter((c) => c.kind === "all-gather").map((c) => c.end);
  const from = Math.floor(ends.length / 2);
  return (ends.at(-1)! - ends[from]!) / (ends.length - 1 - from);
}

function perMicroBatch(workers: number, kind: "zero1" | "acco", accumulation: number): number {
  const result = runScenario(
    paperScenario(
      "acco-vs-zero1.yaml",
      `cluster.workers=${workers}`,
      `schedule.kind=${kind}`,
      `schedule.accumulation=${accumulation}`,
    ),
  );
  if (kind === "acco") {
    // Rounds hidden behind the compute: nobody accumulates extra micro-batches or idles. (The first
    // step holds the 1-micro-batch seed and one group: `accumulation` − 1 fewer than the others.)
    for (const w of result.workers) {
      const shortfall = (accumulation - 1) / count(w, "steps");
      expect(count(w, "microBatchesPerStep")).toBeCloseTo(2 * accumulation - shortfall, 9);
      expect(count(w, "extraMicroBatches")).toBe(0);
      expect(w.idleTime).toBe(0);
    }
  }
  return allGatherPeriod(result) / accumulation;
}

describe("ACCO vs ZeRO-1, GPT-Neo 125M, 1×8 and 4×8 GPUs", () => {
  const measured = (workers: number, zeroAccumulation: number, accoAccumulation: number) => {
    const zero1 = perMicroBatch(workers, "zero1", zeroAccumulation);
    const acco = perMicroBatch(workers, "acco", accoAccumulation);
    return { zero1, acco, gain: 1 - acco / zero1 };
  };

  it("the paper's setting (ZeRO-1: 2 micro-batches per step; ACCO: 1 per round)", () => {
    const one = measured(8, 2, 1);
    const four = measured(32, 2, 1);
    for (const [m, c] of [
      [one, closedForm(8, 2, 1)],
      [four, closedForm(32, 2, 1)],
    ] as const) {
      expect(Math.abs(m.zero1 / c.zero1 - 1)).toBeLessThan(0.005);
      expect(Math.abs(m.acco / c.acco - 1)).toBeLessThan(0.005);
      expect(Math.abs(m.gain / c.gain - 1)).toBeLessThan(0.05);
    }
    expect(one.gain).toBeGreaterThan(0);
    expect(one.gain).toBeLessThan(0.01);
    expect(four.gain).toBeGreaterThan(0.08);
    expect(four.gain).toBeGreaterThan(10 * one.gain);
    // ACCO's own time per micro-batch does not depend on the network: its rounds are hidden.
    expect(Math.abs(four.acco / one.acco - 1)).toBeLessThan(1e-3);
  });

  it("the scenario file's setting (2 micro-batches per step or round for both)", () => {
    const one = measured(8, 2, 2);
    const four = measured(32, 2, 2);
    expect(Math.abs(one.gain / closedForm(8, 2, 2).gain - 1)).toBeLessThan(0.05);
    expect(Math.abs(four.gain / closedForm(32, 2, 2).gain - 1)).toBeLessThan(0.05);
    expect(four.gain).toBeGreaterThan(10 * one.gain);
  });
});
