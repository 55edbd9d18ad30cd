import type { Grid, SweepRun } from "./grid.ts";
import { type Metrics, metricColumns } from "./metrics.ts";
import { meanInterval } from "./stats.ts";

/** What the sweep knows about one run. */
export type RunRecord =
  | { readonly run: SweepRun; readonly status: "pending" }
  | {
      readonly run: SweepRun;
      readonly status: "ok";
      readonly metrics: Metrics;
      /** The result's wallTime: real seconds of the event loop. */
      readonly wallTime: number | undefined;
    }
  | { readonly run: SweepRun; readonly status: "failed"; readonly error: string };

/**
 * runs.csv: one row per run, in sweep order: its id, the grid values as written, the seed, the status
 * (ok, failed, or pending while the sweep goes on), the metrics, the result's wallTime (the only column
 * that differs between two sweeps of the same definition) and, for a failed run, its error.
 */
export function runsCsv(grids: ReadonlyArray<Grid>, records: ReadonlyArray<RunRecord>): string {
  const columns = metricColumns(okMetrics(records));
  const header = ["run", ...grids.map((g) => g.path), "seed", "status", ...columns, "wallTime", "error"];
  const rows = records.map(({ run, ...record }) => [
    run.id,
    ...gridCells(grids, run),
    String(run.seed),
    record.status,
    ...columns.map((name) => (record.status === "ok" ? number(record.metrics.get(name)) : "")),
    record.status === "ok" ? number(record.wallTime) : "",
    record.status === "failed" ? record.error : "",
  ]);
  return csv([header, ...rows]);
}

/**
 * summary.csv: one row per grid point: its grid values, how many of its runs succeeded and failed,
 * then for each metric the mean over the successful seeds and the bounds of its 95 % Student-t
 * confidence interval (empty with fewer than two seeds).
 */
export function summaryCsv(grids: ReadonlyArray<Grid>, records: ReadonlyArray<RunRecord>): string {
  const columns = metricColumns(okMetrics(records));
  const header = [
    ...grids.map((g) => g.path),
    "ok",
    "failed",
    ...columns.flatMap((name) => [`${name}_mean`, `${name}_ci95_low`, `${name}_ci95_high`]),
  ];
  const rows = summarize(records).map((point) => [
    ...gridCells(grids, point.runs[0]!.run),
    String(point.ok),
    String(point.failed),
    ...columns.flatMap((name) => {
      const stats = point.stats.get(name);
      return [number(stats?.mean), number(stats?.low), number(stats?.high)];
    }),
  ]);
  return csv([header, ...rows]);
}

export interface PointSummary {
  /** The point's runs, seeds in order. */
  readonly runs: ReadonlyArray<RunRecord>;
  readonly ok: number;
  readonly failed: number;
  readonly stats: ReadonlyMap<string, ReturnType<typeof meanInterval>>;
}

/** The records grouped by grid point (in sweep order), with each metric's mean and interval. */
export function summarize(records: ReadonlyArray<RunRecord>): PointSummary[] {
  const byPoint = new Map<number, RunRecord[]>();
  for (const record of records) {
    const list = byPoint.get(record.run.point.index);
    if (list === undefined) byPoint.set(record.run.point.index, [record]);
    else list.push(record);
  }
  return [...byPoint.values()].map((runs) => {
    const ok = runs.flatMap((r) => (r.status === "ok" ? [r.metrics] : []));
    const stats = new Map<string, ReturnType<typeof meanInterval>>();
    for (const name of metricColumns(ok)) {
      stats.set(name, meanInterval(ok.flatMap((m) => (m.has(name) ? [m.get(name)!] : []))));
    }
    return { runs, ok: ok.length, failed: runs.filter((r) => r.status === "failed").length, stats };
  });
}

function okMetrics(records: ReadonlyArray<RunRecord>): Metrics[] {
  return records.flatMap((r) => (r.status === "ok" ? [r.metrics] : []));
}

function gridCells(grids: ReadonlyArray<Grid>, run: SweepRun): string[] {
  return grids.map((grid, g) => grid.values[run.point.choice[g]!]!);
}

/** The shortest text that reads back as the same double; empty for none. */
function number(value: number | undefined): string {
  return value === undefined ? "" : String(value);
}

/**
 * RFC 4180: fields with a comma, quote, line break or edge space quoted, quotes doubled; CRLF-free.
 * A text cell that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+…`, `-…`, `@…`, a leading
 * tab or carriage return) gets a leading `'`, the spreadsheets' own "this is text" mark (OWASP's advice
 * against CSV injection); a number such as `-1` or `-1e-7` is left as it is. Grid values and error
 * lines come from whoever wrote the command line or the scenario.
 */
export function csv(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const field = (cell: string) => {
    const text = FORMULA_START.test(cell) && !NUMBER.test(cell) ? `'${cell}` : cell;
    return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${rows.map((row) => row.map(field).join(",")).join("\n")}\n`;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^[+-]?Infinity$/i;
