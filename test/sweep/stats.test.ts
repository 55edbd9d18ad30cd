import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { SweepRun } from "../../cli/sweep/grid.ts";
import { parseGrids, sweepRuns } from "../../cli/sweep/grid.ts";
import { headlineMetrics } from "../../cli/sweep/metrics.ts";
import { meanInterval, studentTCdf, studentTQuantile } from "../../cli/sweep/stats.ts";
import { type RunRecord, runsCsv, summaryCsv } from "../../cli/sweep/tables.ts";

// scipy.stats.t.ppf(0.975, df)
const T975: ReadonlyArray<readonly [number, number]> = [
  [1, 12.706204736174694],
  [2, 4.302652729749462],
  [3, 3.1824463052837078],
  [4, 2.7764451051977934],
  [5, 2.5705818356363146],
  [9, 2.262157162798205],
  [10, 2.228138851986274],
  [29, 2.045229642132703],
  [30, 2.0422724563012378],
  [100, 1.9839715185235518],
  [1000, 1.9623390808264083],
];

describe("Student t", () => {
  it.each(T975)("t(0.975, %i) = %f", (df, t) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 12);
  });

  it("is symmetric, and its CDF inverts its quantile", () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764451051977934, 12);
    for (const df of [3, 8, 50]) {
      for (const p of [0.6, 0.9, 0.975, 0.999])
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
    }
  });
});

describe("meanInterval", () => {
  it("is right on a known sample", () => {
    // 1…5: mean 3, s = √2.5, half-width t(0.975, 4) · s / √5 = 2.7764451 · 0.7071068 = 1.9632432.
    const ci = meanInterval([1, 2, 3, 4, 5])!;
    expect(ci.n).toBe(5);
    expect(ci.mean).toBe(3);
    expect(ci.low).toBeCloseTo(1.0367568385224428, 12);
    expect(ci.high).toBeCloseTo(4.963243161477557, 12);
    // Two values: t(0.975, 1) = 12.7062 times s/√2 = |a − b| / 2.
    const two = meanInterval([10, 12])!;
    expect(two.mean).toBe(11);
    expect(two.high! - two.mean).toBeCloseTo(12.706204736174694, 12);
  });

  it("gives no interval for one value, nothing for none", () => {
    expect(meanInterval([4])).toEqual({ n: 1, mean: 4 });
    expect(meanInterval([])).toBeUndefined();
  });

  test.prop([fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 20 })])(
    "the interval is centred on the mean and contains it",
    (values) => {
      const ci = meanInterval(values)!;
      expect(ci.low!).toBeLessThanOrEqual(ci.mean);
      expect(ci.high!).toBeGreaterThanOrEqual(ci.mean);
      expect(ci.high! - ci.mean).toBeCloseTo(ci.mean - ci.low!, 6);
    },
  );
});

describe("the tables", () => {
  const grids = parseGrids(["cluster.workers=4,8"], []);
  const runs: SweepRun[] = sweepRuns(grids, 3, 1);
  const result = (simTime: number, loss?: number) => ({
    simTime,
    events: 10,
    wallTime: 0.5,
    workers: [
      { id: 0, computeTime: 1, commTime: 2, idleTime: 0, exposedCommTime: 1, bytesSent: 100, gradients: 4 },
      { id: 1, computeTime: 3, commTime: 2, idleTime: 1, exposedCommTime: 0, bytesSent: 300, gradients: 6 },
    ],
    ...(loss === undefined ? {} : { series: { t: [0, 1], loss: [9, loss], consensus: [1, 0.5] } }),
  });
  const ok = (i: number, simTime: number, loss?: number): RunRecord => ({
    run: runs[i]!,
    status: "ok",
    metrics: headlineMetrics(result(simTime, loss)),
    wallTime: 0.5,
  });
  const records: RunRecord[] = [
    ok(0, 1, 0.1),
    ok(1, 2, 0.2),
    ok(2, 3, 0.3),
    ok(3, 10),
    { run: runs[4]!, status: "failed", error: 'cluster.workers: got 8, expected "x, y"' },
    { run: runs[5]!, status: "pending" },
  ];

  it("headline metrics: means over workers, bytes summed, the final training values, the counts", () => {
    expect(Object.fromEntries(headlineMetrics(result(2, 0.25)))).toEqual({
      simTime: 2,
      events: 10,
      computeTime: 2,
      commTime: 2,
      exposedCommTime: 0.5,
      idleTime: 0.5,
      bytesSent: 400,
      loss: 0.25,
      consensus: 0.5,
      gradients: 5,
    });
  });

  it("runs.csv: a row per run, failed and pending ones without metrics", () => {
    expect(runsCsv(grids, records).split("\n")).toEqual([
      "run,cluster.workers,seed,status,simTime,events,computeTime,commTime,exposedCommTime,idleTime,bytesSent,loss,consensus,gradients,wallTime,error",
      "0-workers=4-seed1,4,1,ok,1,10,2,2,0.5,0.5,400,0.1,0.5,5,0.5,",
      "0-workers=4-seed2,4,2,ok,2,10,2,2,0.5,0.5,400,0.2,0.5,5,0.5,",
      "0-workers=4-seed3,4,3,ok,3,10,2,2,0.5,0.5,400,0.3,0.5,5,0.5,",
      "1-workers=8-seed1,8,1,ok,10,10,2,2,0.5,0.5,400,,,5,0.5,",
      '1-workers=8-seed2,8,2,failed,,,,,,,,,,,,"cluster.workers: got 8, expected ""x, y"""',
      "1-workers=8-seed3,8,3,pending,,,,,,,,,,,,",
      "",
    ]);
  });

  it("summary.csv: mean and 95 % interval over the successful seeds of each point", () => {
    const [header, first, second, end] = summaryCsv(grids, records).split("\n");
    const columns = header!.split(",");
    expect(columns.slice(0, 6)).toEqual([
      "cluster.workers",
      "ok",
      "failed",
      "simTime_mean",
      "simTime_ci95_low",
      "simTime_ci95_high",
    ]);
    const row = (line: string) => Object.fromEntries(line.split(",").map((v, i) => [columns[i], v]));
    const a = row(first!);
    // simTime 1, 2, 3: mean 2, s = 1, half-width t(0.975, 2) / √3 = 2.4841377.
    expect(a.ok).toBe("3");
    expect(a.simTime_mean).toBe("2");
    expect(Number(a.simTime_ci95_low)).toBeCloseTo(2 - 4.302652729749462 / Math.sqrt(3), 12);
    expect(Number(a.simTime_ci95_high)).toBeCloseTo(2 + 4.302652729749462 / Math.sqrt(3), 12);
    expect(Number(a.loss_mean)).toBeCloseTo(0.2, 15);
    // Equal values: an interval of width 0.
    expect([a.events_mean, a.events_ci95_low, a.events_ci95_high]).toEqual(["10", "10", "10"]);
    // One successful seed: a mean, no interval; no loss at all.
    const b = row(second!);
    expect([b.ok, b.failed, b.simTime_mean, b.simTime_ci95_low, b.simTime_ci95_high]).toEqual([
      "1",
      "1",
      "10",
      "",
      "",
    ]);
    expect(b.loss_mean).toBe("");
    expect(end).toBe("");
  });
});
