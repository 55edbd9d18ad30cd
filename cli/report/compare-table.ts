import type { RunResult } from "../../sim/result.ts";
import { summaryPairs, type TableData, workerTableData } from "../summary.ts";

/** A run in a comparison: the label its column carries, and its result. */
export interface LabelledRun {
  readonly label: string;
  readonly result: RunResult;
}

/**
 * The runs' summaries side by side: one row per line of `dtsim run`'s summary (the same words and
 * numbers, cli/summary.ts), then the workers' mean times, bytes and counts; one column per run. A
 * line a run does not have (no training, no memory) is blank in its column.
 */
export function compareTable(runs: ReadonlyArray<LabelledRun>): TableData {
  const values = runs.map(({ result }) => {
    const cells = new Map<string, string>([
      ["scenario", result.scenario],
      ["seed", String(result.seed)],
    ]);
    for (const [key, value] of summaryPairs(result)) cells.set(key, value);
    const workers = workerTableData(result.workers);
    // The last row is the mean over workers (or the only worker).
    const mean = workers?.rows.at(-1);
    if (workers !== undefined && mean !== undefined) {
      workers.columns.forEach((column, c) => {
        if (c > 0) cells.set(`${workers.rows.length > 1 ? "mean " : ""}${column.header}`, mean[c] ?? "");
      });
    }
    return cells;
  });
  const keys: string[] = [];
  for (const cells of values) for (const key of cells.keys()) if (!keys.includes(key)) keys.push(key);
  return {
    columns: [
      { header: "", align: "left" },
      ...runs.map((r) => ({ header: r.label, align: "left" as const })),
    ],
    rows: keys.map((key) => [key, ...values.map((cells) => cells.get(key) ?? "")]),
  };
}

/** Labels for run directories: their names, or the paths as given where two names are the same. */
export function runLabels(dirs: ReadonlyArray<string>): string[] {
  const names = dirs.map(
    (dir) =>
      dir
        .replace(/[\\/]+$/, "")
        .split(/[\\/]/)
        .at(-1) || dir,
  );
  return names.map((name, i) => (names.indexOf(name) !== names.lastIndexOf(name) ? dirs[i]! : name));
}
