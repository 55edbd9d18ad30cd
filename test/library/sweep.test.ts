import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, run, sweep } from "../../index.ts";

const allreduce = join(import.meta.dirname, "../../scenarios/core/allreduce.yaml");
// Poisson gossip clocks and exponential computes: each seed gives a different run.
const gossip = {
  cluster: { workers: 4, device: { duration: "exponential" } },
  schedule: { kind: "gossip-timing", computeTime: "10 ms", rate: 1, bytes: "1 MB" },
  stop: { time: "1 s" },
};

describe("sweep (the library's dtsim sweep)", () => {
  const result = sweep(gossip, { grid: { "cluster.workers": [4, 8] }, seeds: 2 });

  it("runs every grid point with every seed, points outermost, as run() would", () => {
    expect(result.rows.map((row) => [row.point["cluster.workers"], row.seed])).toEqual([
      [4, 1],
      [4, 2],
      [8, 1],
      [8, 2],
    ]);
    const last = result.rows[3]!;
    const alone = run(gossip, { set: ["cluster.workers=8"], seed: 2 });
    expect(last.result.workers).toHaveLength(8);
    expect(last.metrics.events).toBe(alone.events);
    expect(last.metrics.simTime).toBe(alone.simTime);
  });

  it("aggregates each point's seeds: the mean is the mean of its rows", () => {
    expect(result.aggregates.map((a) => [a.point["cluster.workers"], a.runs])).toEqual([
      [4, 2],
      [8, 2],
    ]);
    for (const aggregate of result.aggregates) {
      const rows = result.rows.filter(
        (r) => r.point["cluster.workers"] === aggregate.point["cluster.workers"],
      );
      expect(Object.keys(aggregate.metrics).sort()).toEqual(Object.keys(rows[0]!.metrics).sort());
      for (const [name, stats] of Object.entries(aggregate.metrics)) {
        const values = rows.map((r) => r.metrics[name]!);
        expect(stats.n, name).toBe(2);
        expect(stats.mean, name).toBeCloseTo((values[0]! + values[1]!) / 2, 12);
      }
      // Different seeds, different runs: a mean that merely copied one row would not pass.
      for (const name of ["events", "bytesSent"]) {
        const [a, b] = rows.map((r) => r.metrics[name]!);
        expect(a, name).not.toBe(b);
        expect(aggregate.metrics[name]!.low, name).toBeLessThan(aggregate.metrics[name]!.mean);
      }
    }
  });

  it("takes a file's path and values as written in the file, with --set; no grid is one point", () => {
    const swept = sweep(allreduce, {
      grid: { "cluster.network.bandwidth": ["100 Gb/s", "25 GB/s"] },
      set: ["schedule.count=1"],
    });
    expect(swept.rows.map((r) => r.result.scenario)).toEqual(["allreduce", "allreduce"]);
    // 12.5 GB/s against 25 GB/s: the second point's single all-reduce is nearly twice as fast.
    const [slow, fast] = swept.rows.map((r) => r.metrics.simTime!);
    expect(slow! / fast!).toBeGreaterThan(1.9);
    expect(sweep(allreduce, { set: ["schedule.count=1"] }).rows).toHaveLength(1);
  });

  it("refuses a bad value before running anything, with the usual one-line InputError", () => {
    expect(() => sweep(gossip, { grid: { "cluster.workers": [4, 0] } })).toThrow(
      "cluster.workers: got 0, expected an integer in [1, 1000000]",
    );
    expect(() => sweep(gossip, { seeds: 0 })).toThrow(InputError);
    expect(() => sweep(gossip, { grid: { seed: [1, 2] } })).toThrow(InputError);
  });
});
