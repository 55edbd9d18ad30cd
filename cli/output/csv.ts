import type { RunResult } from "../../sim/result.ts";

/**
 * CSV forms of a result, for spreadsheets and pandas: a header row, then one row per record; numbers as
 * JavaScript writes them (shortest text that reads back to the same float64: full precision, `1e-7`
 * style for very small or large values, `NaN` and `Infinity` as such). Rows end with "\n".
 */

/** `series.csv`: one row per sample time; columns `t` and each metric present. Undefined without a series. */
export function seriesCsv(result: RunResult): string | undefined {
  const series = result.series;
  if (series === undefined) return undefined;
  const columns: Array<[string, ReadonlyArray<number>]> = [["t", series.t]];
  for (const [name, values] of Object.entries(series)) {
    if (name !== "t" && values !== undefined) columns.push([name, values]);
  }
  const rows = series.t.map((_, i) => columns.map(([, values]) => cell(values[i])));
  return toCsv(
    columns.map(([name]) => name),
    rows,
  );
}

/** Fixed columns of `workers.csv`, before the counts. */
export const WORKER_COLUMNS = [
  "id",
  "computeTime",
  "commTime",
  "idleTime",
  "exposedCommTime",
  "bytesSent",
  "bytesReceived",
] as const;

/** `workers.csv`: one row per worker; the fixed columns, then every count any worker has (first seen first). */
export function workersCsv(result: RunResult): string {
  const counts: string[] = [];
  const seen = new Set<string>();
  for (const worker of result.workers) {
    for (const name of Object.keys(worker.counts)) {
      if (!seen.has(name)) {
        seen.add(name);
        counts.push(name);
      }
    }
  }
  const rows = result.workers.map((worker) => [
    ...WORKER_COLUMNS.map((column) => cell(worker[column])),
    ...counts.map((name) => cell(worker.counts[name])),
  ]);
  return toCsv([...WORKER_COLUMNS, ...counts], rows);
}

function cell(value: number | undefined): string {
  return value === undefined ? "" : String(value);
}

function toCsv(header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const lines = [header.map(quote).join(","), ...rows.map((row) => row.join(","))];
  return `${lines.join("\n")}\n`;
}

/** RFC 4180 quoting, for names that need it. */
function quote(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
