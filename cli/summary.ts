import type { CollectiveResult, RunResult, WorkerResult } from "../sim/result.ts";
import { formatBytes, formatCount, formatScaled, formatSeconds } from "./format.ts";
import { type Column, renderTable } from "./table.ts";

/** Tables longer than this show their first and last few rows only. */
const MAX_ROWS = 12;
const EDGE_ROWS = 5;

const STOP_REASONS: Readonly<Record<string, string>> = {
  time: "reached stop.time",
  events: "reached stop.events",
  drained: "no work left",
  stopped: "stopped",
  diverged: "diverged: the training loss or distance became NaN or infinite",
};

/** The readable report of a run (what `dtsim run` prints without --json). */
export function formatSummary(result: RunResult): string {
  const workers = workerTableData(result.workers);
  const collectives = collectiveTableData(result.collectives);
  const lines = [
    `${result.scenario} (seed ${result.seed})`,
    ...keyValues(summaryPairs(result)),
    "",
    ...(workers === undefined ? [] : renderTable(workers.columns, workers.rows)),
    ...(collectives === undefined
      ? []
      : ["", ...renderTable(collectives.columns, collectives.rows), `  ${collectives.footer}`]),
  ];
  return `${lines.join("\n")}\n`;
}

/** A table's content, for the terminal (renderTable) or the HTML report (cli/report/). */
export interface TableData {
  readonly columns: ReadonlyArray<Column>;
  /** Cells as printed; a row of one cell is an ellipsis line across the table. */
  readonly rows: ReadonlyArray<ReadonlyArray<string>>;
  /** A line under the table, if any. */
  readonly footer?: string;
}

/**
 * The summary's "name  value" lines: what ran, how fast, the network, memory and training. A runtime
 * result (it carries `measured`) ran in wall-clock time: its time is "ran for", not "simulated".
 */
export function summaryPairs(result: RunResult): Array<readonly [string, string]> {
  return [
    [
      "measured" in result ? "ran for" : "simulated",
      `${formatSeconds(result.simTime)} (${STOP_REASONS[result.stopReason] ?? result.stopReason})`,
    ],
    ["events", formatCount(result.events)],
    ["wall time", `${formatSeconds(result.wallTime)} (${formatScaled(result.eventsPerSecond, "events/s")})`],
    [
      "network",
      `${result.network.model}, ${formatCount(result.network.transfers)} transfers, ` +
        `${formatBytes(result.network.linkBytesTotal)} carried over links`,
    ],
    ...memoryLine(result),
    ...trainingLines(result),
  ];
}

function keyValues(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`);
}

function memoryLine(result: RunResult): Array<readonly [string, string]> {
  if (result.memory.length === 0) return [];
  const peak = result.memory.reduce((a, b) => (b.peak > a.peak ? b : a));
  if (peak.peak === 0) return [];
  const over = result.memory.filter((m) => m.outOfMemory).length;
  const verdict = over > 0 ? `, ${over} worker${over === 1 ? "" : "s"} OUT OF MEMORY` : "";
  return [
    [
      "memory",
      `peak ${formatBytes(peak.peak)} of ${formatBytes(peak.capacity)} (worker ${peak.worker})${verdict}`,
    ],
  ];
}

/** First and last value of each training metric: how far the run got. */
function trainingLines(result: RunResult): Array<readonly [string, string]> {
  const series = result.series;
  if (series === undefined || series.t.length === 0) return [];
  const metrics: Array<readonly [string, number[] | undefined]> = [
    ["loss", series.loss],
    ["consensus", series.consensus],
    ["distance to x*", series.distanceToOptimum],
    ["accuracy", series.accuracy],
  ];
  const shown = (v: number) =>
    Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(4) : v.toExponential(3);
  return metrics.flatMap(([name, values]) =>
    values === undefined || values.length === 0
      ? []
      : [
          [
            name,
            `${shown(values[0]!)} → ${shown(values.at(-1)!)} (t = 0 → ${formatSeconds(series.t.at(-1)!)})`,
          ] as const,
        ],
  );
}

/** Per-worker times, bytes and counts, then a mean over all workers; undefined without workers. */
export function workerTableData(workers: ReadonlyArray<WorkerResult>): TableData | undefined {
  if (workers.length === 0) return undefined;
  // Every count any worker has, in first-seen order: a worker that never counted shows 0.
  const countNames = [...new Set(workers.flatMap((w) => Object.keys(w.counts)))];
  const columns: Column[] = [
    { header: "worker", align: "left" },
    ...["compute", "comm", "exposed comm", "idle", "sent", "received", ...countNames].map(
      (header): Column => ({ header, align: "right" }),
    ),
  ];
  const cells = (label: string, w: Omit<WorkerResult, "id">) => [
    label,
    formatSeconds(w.computeTime),
    formatSeconds(w.commTime),
    formatSeconds(w.exposedCommTime),
    formatSeconds(w.idleTime),
    formatBytes(w.bytesSent),
    formatBytes(w.bytesReceived),
    ...countNames.map((name) => formatCount(w.counts[name] ?? 0)),
  ];
  const rows = truncate(workers, (w) => cells(String(w.id), w), "workers");
  if (workers.length > 1) rows.push(cells("mean", mean(workers, countNames)));
  return { columns, rows };
}

function mean(
  workers: ReadonlyArray<WorkerResult>,
  countNames: ReadonlyArray<string>,
): Omit<WorkerResult, "id"> {
  const avg = (pick: (w: WorkerResult) => number) =>
    workers.reduce((sum, w) => sum + pick(w), 0) / workers.length;
  return {
    computeTime: avg((w) => w.computeTime),
    commTime: avg((w) => w.commTime),
    exposedCommTime: avg((w) => w.exposedCommTime),
    idleTime: avg((w) => w.idleTime),
    bytesSent: avg((w) => w.bytesSent),
    bytesReceived: avg((w) => w.bytesReceived),
    counts: Object.fromEntries(countNames.map((name) => [name, avg((w) => w.counts[name] ?? 0)])),
  };
}

/** One row per collective (first and last few when many), with their mean duration as footer. */
export function collectiveTableData(collectives: ReadonlyArray<CollectiveResult>): TableData | undefined {
  if (collectives.length === 0) return undefined;
  const columns: Column[] = [
    { header: "collective", align: "left" },
    { header: "kind", align: "left" },
    { header: "algorithm", align: "left" },
    { header: "group", align: "right" },
    { header: "bytes", align: "right" },
    { header: "start", align: "right" },
    { header: "end", align: "right" },
    { header: "duration", align: "right" },
  ];
  const indexed = collectives.map((c, i) => ({ ...c, i }));
  const rows = truncate(
    indexed,
    (c) => [
      String(c.i),
      c.kind,
      c.algorithm,
      String(c.groupSize),
      formatBytes(c.bytes),
      formatSeconds(c.start),
      formatSeconds(c.end),
      formatSeconds(c.end - c.start),
    ],
    "collectives",
  );
  const meanDuration = collectives.reduce((sum, c) => sum + (c.end - c.start), 0) / collectives.length;
  return { columns, rows, footer: `mean duration ${formatSeconds(meanDuration)}` };
}

/** All rows, or the first and last few with a line saying how many were left out. */
function truncate<T>(items: ReadonlyArray<T>, row: (item: T) => string[], what: string): string[][] {
  if (items.length <= MAX_ROWS) return items.map(row);
  const hidden = items.length - 2 * EDGE_ROWS;
  return [
    ...items.slice(0, EDGE_ROWS).map(row),
    [`… ${formatCount(hidden)} more ${what} …`],
    ...items.slice(-EDGE_ROWS).map(row),
  ];
}
