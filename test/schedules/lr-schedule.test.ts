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

  it("cosine and step-decay reach the optimizer too (decoded lengths, milestones and factor)", () => {
    // Cosine over 2 steps to minLr 0 freezes training after 2 steps; step decay ×0.001 from step 0
    // (milestone 0) makes every step 1000× smaller; a cosine over 10⁶ steps is the constant rate.
    const shapes = {
      frozen: { kind: "cosine", totalSteps: 2 },
      decayed: { kind: "step-decay", totalSteps: 100, milestones: [0], factor: 0.001 },
      long: { kind: "cosine", totalSteps: 1_000_000 },
    };
    const optimizer = { kind: "sgd", lr: 0.05, momentum: 0, weightDecay: 0 };
    const cases: [string, (shape?: object) => Record<string, unknown>][] = [
      ["gossip", (shape) => ({ kind: "gossip", lr: 0.05, ...(shape ? { lrSchedule: shape } : {}) })],
      ["a2cid2", (shape) => ({ kind: "a2cid2", lr: 0.05, ...(shape ? { lrSchedule: shape } : {}) })],
      [
        "zero1",
        (shape) => ({ kind: "zero1", optimizer: { ...optimizer, ...(shape ? { schedule: shape } : {}) } }),
      ],
      [
        "acco",
        (shape) => ({ kind: "acco", optimizer: { ...optimizer, ...(shape ? { schedule: shape } : {}) } }),
      ],
    ];
    for (const [kind, schedule] of cases) {
      const constant = finalLoss(schedule());
      expect(finalLoss(schedule(shapes.frozen)), kind).toBeGreaterThan(constant * 1.5);
      expect(finalLoss(schedule(shapes.decayed)), kind).toBeGreaterThan(constant * 1.5);
      expect(Math.abs(finalLoss(schedule(shapes.long)) / constant - 1), kind).toBeLessThan(1e-3);
    }
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
