import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type LrSchedule, learningRate } from "../../sim/optim/lr-schedule.ts";

describe("learning-rate schedules", () => {
  it("constant", () => {
    for (const t of [0, 1, 1e6]) expect(learningRate({ kind: "constant", lr: 0.3 }, t)).toBe(0.3);
  });

  it("linear warm-up then constant (from 0, or from startLr as in Goyal et al.'s ramp)", () => {
    const s: LrSchedule = { kind: "warmup-constant", lr: 0.4, warmupSteps: 100 };
    expect(learningRate(s, 0)).toBe(0);
    expect(learningRate(s, 25)).toBeCloseTo(0.1, 15);
    expect(learningRate(s, 50)).toBeCloseTo(0.2, 15);
    expect(learningRate(s, 100)).toBe(0.4);
    expect(learningRate(s, 5000)).toBe(0.4);
    const goyal: LrSchedule = { kind: "warmup-constant", lr: 0.8, warmupSteps: 10, startLr: 0.1 };
    expect(learningRate(goyal, 0)).toBe(0.1);
    expect(learningRate(goyal, 5)).toBeCloseTo(0.45, 15);
    expect(learningRate(goyal, 10)).toBe(0.8);
  });

  it("step decay ×factor at fractions of the run (A²CiD²'s CIFAR recipe: ×0.1 at 50% and 75%)", () => {
    const s: LrSchedule = {
      kind: "step-decay",
      lr: 0.1,
      totalSteps: 1000,
      milestones: [0.5, 0.75],
      factor: 0.1,
    };
    expect(learningRate(s, 0)).toBe(0.1);
    expect(learningRate(s, 499)).toBe(0.1);
    expect(learningRate(s, 500)).toBeCloseTo(0.01, 15);
    expect(learningRate(s, 749)).toBeCloseTo(0.01, 15);
    expect(learningRate(s, 750)).toBeCloseTo(0.001, 15);
    expect(learningRate(s, 2000)).toBeCloseTo(0.001, 15);
    const warm: LrSchedule = { ...s, warmupSteps: 50 };
    expect(learningRate(warm, 25)).toBeCloseTo(0.05, 15);
    expect(learningRate(warm, 50)).toBe(0.1);
  });

  it("cosine with linear warm-up (ACCO's recipe)", () => {
    const s: LrSchedule = { kind: "cosine", lr: 6e-4, totalSteps: 1100, warmupSteps: 100 };
    expect(learningRate(s, 0)).toBe(0);
    expect(learningRate(s, 50)).toBeCloseTo(3e-4, 15);
    expect(learningRate(s, 100)).toBeCloseTo(6e-4, 15);
    expect(learningRate(s, 600)).toBeCloseTo(3e-4, 15);
    expect(learningRate(s, 1100)).toBeCloseTo(0, 15);
    expect(learningRate(s, 5000)).toBeCloseTo(0, 15);
    const floor: LrSchedule = { ...s, minLr: 6e-5 };
    expect(learningRate(floor, 600)).toBeCloseTo((6e-4 + 6e-5) / 2, 15);
    expect(learningRate(floor, 3000)).toBeCloseTo(6e-5, 15);
  });

  it("cosine rises during warm-up, then never increases and stays in [minLr, lr]", () => {
    const cases = fc.tuple(
      fc.integer({ min: 1, max: 10_000 }),
      fc.integer({ min: 0, max: 5000 }),
      fc.double({ min: 1e-6, max: 10, noNaN: true }),
      fc.integer({ min: 0, max: 20_000 }),
    );
    fc.assert(fc.property(cases, ([total, warmup, lr, t]) => cosineShape(total, warmup, lr, t)));
  });

  function cosineShape(total: number, warmup: number, lr: number, t: number): void {
    const s: LrSchedule = { kind: "cosine", lr, totalSteps: total, warmupSteps: warmup, minLr: lr / 10 };
    const now = learningRate(s, t);
    const next = learningRate(s, t + 1);
    if (t + 1 <= warmup) expect(next).toBeGreaterThan(now);
    else expect(next).toBeLessThanOrEqual(now * (1 + 1e-12));
    expect(now).toBeLessThanOrEqual(lr * (1 + 1e-12));
    if (t >= warmup) expect(now).toBeGreaterThanOrEqual((lr / 10) * (1 - 1e-12));
  }
});
