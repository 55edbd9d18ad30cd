import { describe, expect, it } from "vitest";
import { parseGrids, sweepRuns } from "../../cli/sweep/grid.ts";
import { headlineMetrics } from "../../cli/sweep/metrics.ts";
import { numericAxis, scalingPlot } from "../../cli/sweep/plot.ts";
import { type RunRecord, summarize } from "../../cli/sweep/tables.ts";

/** Records for every run of the grids, the metric `samples` given by `value(run index, seed)`. */
function records(
  specs: string[],
  seeds: number,
  value: (point: number, seed: number) => number,
): RunRecord[] {
  const grids = parseGrids(specs, []);
  return sweepRuns(grids, seeds, 1).map((run) => ({
    run,
    status: "ok",
    metrics: headlineMetrics({
      simTime: 30,
      events: 1,
      workers: [
        { id: 0, computeTime: 1, commTime: 1, idleTime: 0, samples: value(run.point.index, run.seed) },
      ],
    }),
    wallTime: 0.1,
  }));
}

/** The parts of a Vega-Lite spec these tests read. */
interface Spec {
  title: { subtitle: string };
  encoding: Record<string, { title?: string }>;
  data: { values: Array<Record<string, unknown>> };
  layer: Array<{ mark: { type: string }; encoding: Record<string, { title?: string }> }>;
}

describe("the scaling plot", () => {
  it("bandwidths with a unit: a quantitative log axis in that unit, one line per schedule kind", () => {
    const specs = ["cluster.network.bandwidth=400 Gb/s,100 Gb/s,10 Gb/s", "schedule.kind=acco,zero1"];
    const grids = parseGrids(specs, []);
    const plot = scalingPlot(grids, summarize(records(specs, 1, (p) => 100 - p)), "samples");
    expect(plot.ok).toBe(true);
    if (!plot.ok) return;
    const spec = plot.spec as unknown as Spec;
    expect(spec.encoding.x).toEqual({
      field: "x",
      type: "quantitative",
      title: "cluster.network.bandwidth (Gb/s)",
      axis: { values: [400, 100, 10] },
      scale: { type: "log" },
    });
    expect(spec.encoding.color).toMatchObject({
      field: "series",
      title: "schedule.kind",
      sort: ["acco", "zero1"],
    });
    expect(spec.data.values.map((v) => [v.x, v.series, v.mean])).toEqual([
      [400, "acco", 100],
      [400, "zero1", 99],
      [100, "acco", 98],
      [100, "zero1", 97],
      [10, "acco", 96],
      [10, "zero1", 95],
    ]);
    // One seed: no interval, no error bars.
    expect(spec.layer).toHaveLength(1);
    expect(spec.title.subtitle).toBe("one seed per point");
  });

  it("the kind swept as whole schedules, x after it, a third grid dashed; default metric simTime", () => {
    const specs = [
      "schedule={kind: gossip, lr: 1},{kind: a2cid2, lr: 1}",
      "cluster.topology.kind=ring,exponential",
      "cluster.workers=8,16",
    ];
    const grids = parseGrids(specs, []);
    const plot = scalingPlot(grids, summarize(records(specs, 2, (p, seed) => p + seed)), undefined);
    if (!plot.ok) throw new Error(plot.reason);
    const spec = plot.spec as unknown as Spec;
    expect(plot.metric).toBe("simTime");
    expect(plot.x).toBe("cluster.workers");
    expect(spec.encoding.color!.title).toBe("schedule.kind");
    expect(spec.layer[0]!.encoding.strokeDash!.title).toBe("cluster.topology.kind");
    expect(spec.data.values[0]).toMatchObject({ x: 8, series: "gossip", group: "ring", mean: 30 });
    expect(spec.layer.map((l) => l.mark.type)).toEqual(["line", "errorband"]);
  });

  it("non-numeric values: an ordinal axis in grid order; nothing to plot without a grid", () => {
    const grids = parseGrids(["cluster.topology.kind=ring,complete"], []);
    const plot = scalingPlot(
      grids,
      summarize(records(["cluster.topology.kind=ring,complete"], 1, () => 1)),
      undefined,
    );
    if (!plot.ok) throw new Error(plot.reason);
    expect((plot.spec as unknown as Spec).encoding.x).toEqual({
      field: "x",
      type: "ordinal",
      title: "cluster.topology.kind",
      sort: ["ring", "complete"],
    });
    expect(scalingPlot([], [], undefined)).toEqual({ ok: false, reason: "no --grid to plot against" });
    expect(numericAxis(parseGrids(["a=1 GB,2 MB"], [])[0]!)).toBeUndefined();
    expect(numericAxis(parseGrids(["a=1e3,2"], [])[0]!)).toEqual({ numbers: [1000, 2], unit: undefined });
  });
});
