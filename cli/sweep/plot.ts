import { type Grid, isScheduleKindGrid, valueLabels } from "./grid.ts";
import type { PointSummary } from "./tables.ts";

/** The metrics a plot shows when --metric does not say, first present first. */
const DEFAULT_METRICS = ["distanceToOptimum", "loss", "simTime"];

export type PlotSpec = Record<string, unknown>;

export type PlotOutcome =
  | { readonly ok: true; readonly spec: PlotSpec; readonly metric: string; readonly x: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The scaling plot, as a Vega-Lite spec with its data inline: a metric's mean over seeds (with its 95 %
 * interval as a band, or error bars on an ordinal axis, when there are several seeds) against the swept parameter, one line per
 * schedule kind when the kind is swept (else per value of the next grid), dashes for any further grid.
 *
 * The x axis is the first grid other than the kind's whose values are numbers, or numbers with one
 * common unit ("400 Gb/s", "200 Gb/s": quantitative, in Gb/s), else the first grid, in grid order.
 */
export function scalingPlot(
  grids: ReadonlyArray<Grid>,
  points: ReadonlyArray<PointSummary>,
  requested: string | undefined,
): PlotOutcome {
  if (grids.length === 0) return { ok: false, reason: "no --grid to plot against" };
  const available = new Set(points.flatMap((p) => [...p.stats.keys()]));
  const metric = requested ?? DEFAULT_METRICS.find((m) => available.has(m));
  if (available.size === 0) return { ok: false, reason: "no run finished" };
  if (metric === undefined || !available.has(metric)) {
    const have = [...available].join(", ");
    return { ok: false, reason: `no run has the metric ${JSON.stringify(requested)} (metrics: ${have})` };
  }
  const order = grids.map((_, g) => g);
  const kindGrid = order.find((g) => isScheduleKindGrid(grids[g]!));
  const others = order.filter((g) => g !== kindGrid);
  const x = others.find((g) => numericAxis(grids[g]!) !== undefined) ?? others[0] ?? kindGrid!;
  const rest = order.filter((g) => g !== x);
  const series = kindGrid !== undefined && kindGrid !== x ? kindGrid : rest[0];
  const dashed = rest.filter((g) => g !== series);

  const xGrid = grids[x]!;
  const labels = grids.map(valueLabels);
  const axis = numericAxis(xGrid);
  const label = (g: number, choice: ReadonlyArray<number>) => labels[g]![choice[g]!]!;
  const title = (g: number) =>
    grids[g]!.path === "schedule" && g === kindGrid ? "schedule.kind" : grids[g]!.path;

  const values = points.flatMap((point) => {
    const stats = point.stats.get(metric);
    if (stats === undefined) return [];
    const choice = point.runs[0]!.run.point.choice;
    const row: Record<string, unknown> = {
      x: axis === undefined ? label(x, choice) : axis.numbers[choice[x]!],
      mean: stats.mean,
      n: stats.n,
    };
    if (stats.low !== undefined && stats.high !== undefined)
      Object.assign(row, { low: stats.low, high: stats.high });
    if (series !== undefined) row.series = label(series, choice);
    // One more grid: its value (the legend's title names it); several: path=value of each.
    if (dashed.length === 1) row.group = label(dashed[0]!, choice);
    if (dashed.length > 1) row.group = dashed.map((g) => `${title(g)}=${label(g, choice)}`).join(", ");
    return [row];
  });

  const xTitle = axis?.unit === undefined ? title(x) : `${title(x)} (${axis.unit})`;
  const xEncoding =
    axis === undefined
      ? { field: "x", type: "ordinal", title: xTitle, sort: labels[x] }
      : {
          field: "x",
          type: "quantitative",
          title: xTitle,
          axis: { values: axis.numbers },
          ...(logScale(axis.numbers, 8) ? { scale: { type: "log" } } : {}),
        };
  const means = values.map((v) => v.mean as number);
  const logY = logScale(means, 100);
  const yEncoding = {
    field: "mean",
    type: "quantitative",
    title: metric,
    ...(logY ? { scale: { type: "log" } } : { scale: { zero: false } }),
  };
  const shared: Record<string, unknown> = { x: xEncoding };
  if (series !== undefined)
    shared.color = { field: "series", type: "nominal", title: title(series), sort: labels[series] };
  const lineEncoding: Record<string, unknown> = { y: yEncoding };
  if (dashed.length > 0) {
    lineEncoding.strokeDash = { field: "group", type: "nominal", title: dashed.map(title).join(", ") };
  }
  const layer: unknown[] = [{ mark: { type: "line", point: true }, encoding: lineEncoding }];
  const intervals = values.some((v) => v.low !== undefined);
  // A log scale cannot show an interval reaching 0 or below (a small sample of a positive metric can).
  const cut = logY && values.some((v) => v.low !== undefined && !((v.low as number) > 0));
  // A band between the points of a numeric axis; bars on an ordinal one, whose points are not a line.
  const intervalMark =
    axis === undefined ? { type: "errorbar", ticks: true } : { type: "errorband", opacity: 0.25 };
  if (intervals) {
    layer.push({
      ...(cut ? { transform: [{ filter: "datum.low > 0" }] } : {}),
      mark: intervalMark,
      encoding: {
        y: { field: "low", type: "quantitative", title: metric },
        y2: { field: "high" },
        // One band per dashed line, not one across them.
        ...(dashed.length > 0 ? { detail: { field: "group", type: "nominal" } } : {}),
      },
    });
  }
  const seeds = Math.max(0, ...points.map((p) => p.runs.length));
  const subtitle =
    seeds <= 1
      ? "one seed per point"
      : intervals
        ? `mean over ${seeds} seeds, ${axis === undefined ? "error bars" : "band"}: 95 % confidence interval${cut ? " (those reaching 0 or below not drawn on the log scale)" : ""}`
        : `mean over ${seeds} seeds`;
  const spec: PlotSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `${metric} against ${title(x)}`,
      subtitle,
    },
    width: 480,
    height: 300,
    data: { values },
    encoding: shared,
    layer,
  };
  return { ok: true, spec, metric, x: title(x) };
}

/** The grid's values as numbers with one common unit (none for plain numbers), if they all are. */
export function numericAxis(grid: Grid): { numbers: number[]; unit: string | undefined } | undefined {
  const numbers: number[] = [];
  const units = new Set<string | undefined>();
  for (const value of grid.parsed) {
    if (typeof value === "number" && Number.isFinite(value)) {
      numbers.push(value);
      units.add(undefined);
      continue;
    }
    if (typeof value !== "string") return undefined;
    const match = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(\S.*)$/.exec(value.trim());
    if (match === null) return undefined;
    numbers.push(Number(match[1]));
    units.add(match[2]!.trim());
  }
  if (units.size !== 1) return undefined;
  return { numbers, unit: [...units][0] };
}

/** Positive values spanning more than `ratio` to one: better seen on a log scale. */
function logScale(values: ReadonlyArray<number>, ratio: number): boolean {
  if (values.length < 2 || values.some((v) => !(v > 0))) return false;
  return Math.max(...values) / Math.min(...values) >= ratio;
}
