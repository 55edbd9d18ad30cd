import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/errors.ts";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";

function finalLoss(schedule: Record<string, unknown>): number {
  const result = runScenario(
    decodeScenario({
      cluster: { workers: 4, topology: { kind: "complete" } },
      schedule: { fidelity: "theory", sampleEvery: "10 s", ...schedule },
      problem: { kind: "least-squares", dimension: 5, l2: 0.1 },
      stop: { time: "20 s" },
    }),
  );
  return result.series!.loss!.at(-1)!;
}

describe("learning-rate schedules from the scenario", () => {
  it("reach the optimizer: a warm-up from 0 over far more steps than the run slows training", () => {
    for (const [kind, field] of [
      ["gossip", "lrSchedule"],
      ["a2cid2", "lrSchedule"],
    ] as const) {
      const constant = finalLoss({ kind, lr: 0.05 });
      const warm = finalLoss({ kind, lr: 0.05, [field]: { kind: "warmup-constant", warmupSteps: 100_000 } });
      expect(warm, kind).toBeGreaterThan(constant * 1.5);
    }
    const optimizer = { kind: "sgd", lr: 0.05, momentum: 0, weightDecay: 0 };
    const constant = finalLoss({ kind: "allreduce-sgd", optimizer });
    const warm = finalLoss({
      kind: "allreduce-sgd",
      optimizer: { ...optimizer, schedule: { kind: "warmup-constant", warmupSteps: 100_000 } },
    });
    expect(warm).toBeGreaterThan(constant * 1.5);
  });

  it("refuses a cosine or step-decay schedule without the run's length, naming the field", () => {
    const raw = {
      cluster: { workers: 2 },
      schedule: { kind: "gossip", lrSchedule: { kind: "cosine" } },
      problem: { kind: "least-squares" },
      stop: { time: "1 s" },
    };
    expect(() => decodeScenario(raw)).toThrow(InputError);
    expect(() => decodeScenario(raw)).toThrow(/^schedule\.lrSchedule\.totalSteps: /);
  });
});
