import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  describePoint,
  gridPoints,
  isScheduleKindGrid,
  parseGrid,
  parseGrids,
  splitTopLevel,
  sweepRuns,
  valueLabels,
} from "../../cli/sweep/grid.ts";
import { InputError } from "../../sim/errors.ts";

describe("parseGrid", () => {
  it("reads the values as YAML, keeping them as written", () => {
    const grid = parseGrid("cluster.network.bandwidth=400 Gb/s, 10 Gb/s,1e3");
    expect(grid.path).toBe("cluster.network.bandwidth");
    expect(grid.values).toEqual(["400 Gb/s", "10 Gb/s", "1e3"]);
    expect(grid.parsed).toEqual(["400 Gb/s", "10 Gb/s", 1000]);
  });

  it("does not split inside brackets, braces or quotes", () => {
    expect(splitTopLevel("{kind: a, lr: 1},{kind: b, lr: [1, 2]}")).toEqual([
      "{kind: a, lr: 1}",
      "{kind: b, lr: [1, 2]}",
    ]);
    expect(splitTopLevel(`"a,b",'c,''d',e`)).toEqual([`"a,b"`, `'c,''d'`, "e"]);
    // A quote inside a plain scalar is text, as in YAML.
    expect(splitTopLevel("it's,fine")).toEqual(["it's", "fine"]);
    const grid = parseGrid("schedule={kind: gossip, lr: 0.1},{kind: a2cid2, lr: 0.1}");
    expect(grid.parsed).toEqual([
      { kind: "gossip", lr: 0.1 },
      { kind: "a2cid2", lr: 0.1 },
    ]);
    expect(valueLabels(grid)).toEqual(["gossip", "a2cid2"]);
    expect(isScheduleKindGrid(grid)).toBe(true);
  });

  it.each([
    ["cluster.workers", /expected PATH=V1,V2/],
    ["cluster.workers=", /no empty value/],
    ["cluster.workers=4,,8", /no empty value/],
    ["=4,8", /expected PATH=V1,V2/],
    ["cluster..workers=4", /expected PATH=V1,V2/],
    ["seed=1,2", /--seeds/],
    ["cluster.workers=4,4.0", /distinct values \(4 and 4.0/],
    ["cluster.workers=[1,", /written as in YAML/],
  ])("refuses %j", (spec, message) => {
    expect(() => parseGrid(spec)).toThrow(InputError);
    expect(() => parseGrid(spec)).toThrow(message);
  });

  it("refuses a path swept twice, or also given to --set", () => {
    expect(() => parseGrids(["a.b=1,2", "a.b=3"], [])).toThrow(/each path in one --grid only/);
    expect(() => parseGrids(["a.b=1,2"], ["a.b=3"])).toThrow(/a\.b is swept/);
    expect(parseGrids(["a.b=1,2"], ["a.c=3"])).toHaveLength(1);
  });
});

describe("the runs of a sweep", () => {
  it("are the cross product, first grid outermost, times the seeds", () => {
    const grids = parseGrids(["cluster.workers=4,8", "schedule.kind=acco,zero1,dpu"], []);
    expect(gridPoints(grids).map((p) => p.assignments.join(" "))).toEqual([
      "cluster.workers=4 schedule.kind=acco",
      "cluster.workers=4 schedule.kind=zero1",
      "cluster.workers=4 schedule.kind=dpu",
      "cluster.workers=8 schedule.kind=acco",
      "cluster.workers=8 schedule.kind=zero1",
      "cluster.workers=8 schedule.kind=dpu",
    ]);
    const runs = sweepRuns(grids, 2, 7);
    expect(runs).toHaveLength(12);
    expect(runs.map((r) => [r.point.index, r.seed])).toEqual(
      [0, 1, 2, 3, 4, 5].flatMap((p) => [
        [p, 7],
        [p, 8],
      ]),
    );
    expect(runs[0]!.id).toBe("0-workers=4-kind=acco-seed7");
    expect(runs[11]!.id).toBe("5-workers=8-kind=dpu-seed8");
    expect(describePoint(grids, runs[3]!.point)).toBe("cluster.workers=4 schedule.kind=zero1");
  });

  it("without a grid: one point, K seeds", () => {
    const runs = sweepRuns([], 3, 1);
    expect(runs.map((r) => [r.id, r.seed, r.point.assignments.length])).toEqual([
      ["0-seed1", 1, 0],
      ["0-seed2", 2, 0],
      ["0-seed3", 3, 0],
    ]);
  });

  it("names files safely: no slash or space from a value", () => {
    const runs = sweepRuns(parseGrids(["cluster.network.bandwidth=400 Gb/s,10 Gb/s"], []), 1, 1);
    expect(runs.map((r) => r.id)).toEqual(["0-bandwidth=400_Gb_s-seed1", "1-bandwidth=10_Gb_s-seed1"]);
  });

  test.prop([
    fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 4 }), {
      maxLength: 3,
    }),
    fc.integer({ min: 1, max: 4 }),
    fc.integer({ min: 0, max: 1000 }),
  ])("every combination and seed exactly once, in order, with distinct ids", (valueLists, seeds, base) => {
    const grids = parseGrids(
      valueLists.map((values, g) => `p${g}=${values.join(",")}`),
      [],
    );
    const runs = sweepRuns(grids, seeds, base);
    const expected = valueLists.reduce((n, values) => n * values.length, 1) * seeds;
    expect(runs).toHaveLength(expected);
    expect(new Set(runs.map((r) => r.id)).size).toBe(expected);
    runs.forEach((run, i) => {
      expect(run.index).toBe(i);
      expect(run.seed).toBe(base + (i % seeds));
      expect(run.point.index).toBe(Math.floor(i / seeds));
      // Mixed radix: the choices spell out the point's index, first grid most significant.
      const index = run.point.choice.reduce((n, c, g) => n * valueLists[g]!.length + c, 0);
      expect(index).toBe(run.point.index);
      expect(run.point.assignments).toEqual(
        valueLists.map((values, g) => `p${g}=${values[run.point.choice[g]!]}`),
      );
    });
  });
});
