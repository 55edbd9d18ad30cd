import { describe, expect, it } from "vitest";
import { formatSummary } from "../../cli/summary.ts";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";

/**
 * Issue #15 (found by the hostile fuzz test): a training run whose loss became NaN — A²CiD² with a
 * learning rate far past 2/L once l2 makes L about 10⁶ — was reported as having reached its stop time,
 * its NaN metrics printed as null in --json. It is now reported as diverged (the stop reason #11's
 * divergence feature builds on); a run that stays finite keeps its own stop reason.
 */
const scenario = (l2: number) =>
  decodeScenario({
    cluster: { workers: 4, topology: { kind: "ring" } },
    schedule: { kind: "a2cid2", fidelity: "theory", rate: 1, lr: 0.002, momentum: 0.9, sampleEvery: "3 s" },
    problem: { kind: "least-squares", dimension: 10, samplesPerWorker: 100, batchSize: 100, l2 },
    stop: { time: "60 s" },
  });

describe("a diverged training run", () => {
  it("is reported as diverged, in the result and in the summary", () => {
    const result = runScenario(scenario(1e6));
    expect(result.series?.loss?.some((v) => !Number.isFinite(v))).toBe(true);
    expect(result.stopReason).toBe("diverged");
    expect(formatSummary(result)).toContain("diverged: the training loss or distance became NaN or infinite");
  });

  it("is not confused with one that converges", () => {
    const result = runScenario(scenario(1));
    expect(result.series?.loss?.every(Number.isFinite)).toBe(true);
    expect(result.stopReason).toBe("time");
  });
});
