import { describe, expect, it } from "vitest";
import type { RunResult, WorkerResult } from "../../sim/result.ts";
import { combineReports, compareResults, relativeError, valueAt } from "../../sim/validate/compare.ts";

function worker(
  id: number,
  computeTime: number,
  commTime: number,
  idleTime: number,
  gradients: number,
): WorkerResult {
  return {
    id,
    computeTime,
    commTime,
    idleTime,
    exposedCommTime: commTime,
    bytesSent: 0,
    bytesReceived: 0,
    counts: { gradients, exchanges: gradients },
  };
}

function result(simTime: number, workers: WorkerResult[], loss?: number[]): RunResult {
  return {
    scenario: "s",
    seed: 1,
    simTime,
    events: 0,
    wallTime: 0,
    eventsPerSecond: 0,
    stopReason: "time",
    workers,
    collectives: [],
    network: { model: "alpha-beta", linkBytesTotal: 0, transfers: 0 },
    memory: [],
    ...(loss === undefined
      ? {}
      : { series: { t: loss.map((_, i) => (i * simTime) / (loss.length - 1)), loss } }),
  };
}

describe("compareResults", () => {
  it("finds no error between a result and itself", () => {
    const r = result(10, [worker(0, 4, 3, 3, 40), worker(1, 5, 2, 3, 50)], [1, 0.5, 0.25]);
    const report = compareResults(r, r);
    expect(report.metrics.length).toBeGreaterThan(0);
    for (const m of report.metrics) expect(m.relativeError).toBe(0);
    expect(report.averageError).toBe(0);
  });

  it("measures relative error against the measurement", () => {
    const predicted = result(10, [worker(0, 4, 2, 4, 40)]);
    const measured = result(10, [worker(0, 5, 2, 3, 40)]);
    const report = compareResults(predicted, measured);
    const perGradient = report.metrics.find((m) => m.name === "time per gradient (s)")!;
    expect(perGradient.predicted).toBeCloseTo(0.1);
    expect(perGradient.measured).toBeCloseTo(0.125);
    expect(perGradient.relativeError).toBeCloseTo(0.2);
    expect(report.maxError).toBeGreaterThanOrEqual(perGradient.relativeError);
  });

  it("lists metrics both sides put at zero but leaves them out of the averages", () => {
    const predicted = result(10, [worker(0, 4, 2, 0, 40), worker(1, 4, 2, 0, 40)]);
    const measured = result(10, [worker(0, 5, 2, 0, 40), worker(1, 5, 2, 0, 40)]);
    const report = compareResults(predicted, measured);
    expect(report.metrics.some((m) => m.name === "idle fraction, worker 0")).toBe(true);
    const timed = report.metrics.filter((m) => m.timeBased && !(m.predicted === 0 && m.measured === 0));
    const mean = timed.reduce((s, m) => s + m.relativeError, 0) / timed.length;
    expect(report.averageError).toBeCloseTo(mean, 12);
    // 0.2 (time per gradient) over three metrics; the two zero idle fractions would make it 0.2 / 5.
    expect(report.averageError).toBeCloseTo(0.2 / 3, 12);
  });

  it("leaves run time out when both runs stopped on the clock", () => {
    const r = result(10, [worker(0, 4, 3, 3, 40)]);
    expect(compareResults(r, r).metrics.some((m) => m.name === "run time (s)")).toBe(false);
    const byWork = { ...r, stopReason: "drained" };
    expect(compareResults(byWork, byWork).metrics.some((m) => m.name === "run time (s)")).toBe(true);
  });

  it("compares loss at equal times but keeps it out of the time-based average", () => {
    const predicted = result(10, [worker(0, 4, 3, 3, 40)], [1, 0.5, 0.25]);
    const measured = result(10, [worker(0, 4, 3, 3, 40)], [1, 1, 1]);
    const report = compareResults(predicted, measured);
    expect(report.metrics.filter((m) => m.name.startsWith("loss")).length).toBe(4);
    expect(report.averageError).toBe(0);
    expect(report.maxErrorAll).toBeCloseTo(0.75);
  });
});

describe("combineReports", () => {
  it("compares the prediction with the median of the runs, keeping every run's value", () => {
    const predicted = result(10, [worker(0, 4, 2, 4, 40)]);
    // Compute 5, 4.4 and 8 s over 40 gradients: 0.125, 0.11 and 0.2 s per gradient; idle 3, 3.6, 0.
    const runs = [
      result(10, [worker(0, 5, 2, 3, 40)]),
      result(10, [worker(0, 4.4, 2, 3.6, 40)]),
      result(10, [worker(0, 8, 2, 0, 40)]),
    ];
    const report = combineReports(runs.map((m) => compareResults(predicted, m)));
    const perGradient = report.metrics.find((m) => m.name === "time per gradient (s)")!;
    expect(perGradient.measuredRuns).toHaveLength(3);
    for (const [i, v] of [0.125, 0.11, 0.2].entries())
      expect(perGradient.measuredRuns![i]).toBeCloseTo(v, 12);
    expect(perGradient.measured).toBeCloseTo(0.125);
    expect(perGradient.relativeError).toBeCloseTo(0.2);
    // A fraction keeps its floor: predicted 0.4, median 0.3 → |0.3 − 0.4| / 0.3.
    const idle = report.metrics.find((m) => m.name === "idle fraction, worker 0")!;
    expect(idle.measured).toBeCloseTo(0.3);
    expect(idle.relativeError).toBeCloseTo(0.1 / 0.3);
    expect(report.maxError).toBe(
      Math.max(...report.metrics.filter((m) => m.timeBased).map((m) => m.relativeError)),
    );
  });

  it("is the report itself for one run", () => {
    const r = compareResults(result(10, [worker(0, 4, 2, 4, 40)]), result(10, [worker(0, 5, 2, 3, 40)]));
    expect(combineReports([r])).toBe(r);
  });
});

describe("relativeError and valueAt", () => {
  it("floors the denominator for near-zero quantities", () => {
    expect(relativeError(0.02, 0.01)).toBeCloseTo(1);
    expect(relativeError(0.02, 0.01, 0.05)).toBeCloseTo(0.2);
  });
  it("interpolates linearly inside the series and is NaN outside", () => {
    expect(valueAt([0, 1, 2], [0, 10, 30], 1.5)).toBe(20);
    expect(valueAt([0, 1, 2], [0, 10, 30], 1)).toBe(10);
    expect(valueAt([0, 1, 2], [0, 10, 30], 3)).toBeNaN();
  });
});
