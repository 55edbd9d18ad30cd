import type { ModelSeries } from "../../sim/metrics/model-series.ts";
import { PLOT_HEIGHT, PLOT_WIDTH, type Plot, wantsLogScale } from "./plot.ts";

/** A run's training series under the name the legend gives it (one run: no legend). */
export interface LabelledSeries {
  readonly label: string;
  readonly series: ModelSeries | undefined;
}

type Metric = "loss" | "consensus" | "distanceToOptimum" | "accuracy";

const METRICS: ReadonlyArray<{ key: Metric; title: string; axis: string; about: string }> = [
  { key: "loss", title: "Loss", axis: "loss of the averaged model", about: "The loss of x̄ = (1/n) Σ xᵢ" },
  {
    key: "consensus",
    title: "Consensus distance",
    axis: "(1/n) Σ ‖xᵢ − x̄‖²",
    about: "How far the workers' models are from their mean",
  },
  {
    key: "distanceToOptimum",
    title: "Distance to the optimum",
    axis: "(1/n) Σ ‖xᵢ − x*‖²",
    about: "The workers' mean squared distance to the exact optimum x*",
  },
  { key: "accuracy", title: "Accuracy", axis: "accuracy of x̄", about: "The averaged model's accuracy" },
];

/**
 * One plot per training metric that at least one run measured, against simulated time: one line per
 * run (a colour each when several). A metric whose positive values span two decades or more is drawn
 * on a log scale, without its zero points (a consensus distance starts at exactly 0).
 */
export function trainingCurvePlots(runs: ReadonlyArray<LabelledSeries>): Plot[] {
  const several = runs.length > 1;
  return METRICS.flatMap(({ key, title, axis, about }) => {
    const rows: Array<{ t: number; value: number; run: string }> = [];
    for (const { label, series } of runs) {
      const values = series?.[key];
      if (series === undefined || values === undefined) continue;
      for (let i = 0; i < values.length; i++) {
        const value = values[i]!;
        if (Number.isFinite(value)) rows.push({ t: series.t[i]!, value, run: label });
      }
    }
    if (rows.length === 0) return [];
    const log = key !== "accuracy" && wantsLogScale(rows.map((r) => r.value));
    const drawn = log ? rows.filter((r) => r.value > 0) : rows;
    const hidden = rows.length - drawn.length;
    const caption = [
      `${about}, sampled in simulated time${several ? ", one line per run" : ""}.`,
      log ? "Log scale." : "",
      hidden > 0 ? `${hidden} sample${hidden === 1 ? "" : "s"} at 0 not drawn on the log scale.` : "",
    ]
      .filter((s) => s !== "")
      .join(" ");
    const encoding: Record<string, unknown> = {
      x: { field: "t", type: "quantitative", title: "simulated time (s)" },
      y: {
        field: "value",
        type: "quantitative",
        title: axis,
        scale: log ? { type: "log" } : { zero: false },
      },
    };
    if (several)
      encoding.color = { field: "run", type: "nominal", title: "run", sort: runs.map((r) => r.label) };
    const plot: Plot = {
      name: kebab(key),
      title,
      caption,
      spec: {
        title,
        width: PLOT_WIDTH,
        height: PLOT_HEIGHT,
        data: { values: drawn },
        mark: { type: "line", interpolate: "linear", strokeWidth: 1.5 },
        encoding,
      },
    };
    return [plot];
  });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
