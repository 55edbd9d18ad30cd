import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { seriesCsv, WORKER_COLUMNS, workersCsv } from "../../cli/output/csv.ts";
import { writeRunOutputs } from "../../cli/output/index.ts";
import { runScenario } from "../../sim/run.ts";
import { allreduce, gossipTiming, training } from "./scenarios.ts";

/** series.csv and workers.csv: the result's numbers, column for column, read back bit for bit. */

function parseCsv(text: string): { header: string[]; rows: number[][] } {
  expect(text.endsWith("\n")).toBe(true);
  const [header, ...lines] = text.slice(0, -1).split("\n");
  return { header: header!.split(","), rows: lines.map((line) => line.split(",").map(Number)) };
}

describe("series.csv", () => {
  it("has t and each metric of the series, one row per sample, at full precision", () => {
    const result = runScenario(training());
    const series = result.series!;
    const { header, rows } = parseCsv(seriesCsv(result)!);
    const metrics = Object.keys(series).filter((name) => name !== "t");
    expect(metrics.length).toBeGreaterThanOrEqual(2); // loss, consensus, … as the problem allows
    expect(header).toEqual(["t", ...metrics]);
    expect(rows).toHaveLength(series.t.length);
    rows.forEach((row, i) => {
      header.forEach((name, j) => {
        const expected = (series as unknown as Record<string, number[]>)[name]![i]!;
        expect(Object.is(row[j], expected), `${name}[${i}]`).toBe(true);
      });
    });
  });

  it("is absent for runs without a series", () => {
    expect(seriesCsv(runScenario(gossipTiming()))).toBeUndefined();
    expect(seriesCsv(runScenario(allreduce()))).toBeUndefined();
  });
});

describe("workers.csv", () => {
  it.each([
    ["gossip-timing", gossipTiming],
    ["allreduce", allreduce],
    ["training", training],
  ])("%s: one row per worker, the fixed columns then every count", (_, make) => {
    const result = runScenario(make());
    const { header, rows } = parseCsv(workersCsv(result));
    const counts = Object.keys(result.workers[0]!.counts);
    expect(counts.length).toBeGreaterThan(0);
    expect(header).toEqual([...WORKER_COLUMNS, ...counts]);
    expect(rows).toHaveLength(result.workers.length);
    result.workers.forEach((worker, w) => {
      const expected = [
        ...WORKER_COLUMNS.map((column) => worker[column]),
        ...counts.map((c) => worker.counts[c]),
      ];
      expect(rows[w]).toEqual(expected);
    });
  });
});

describe("writeRunOutputs", () => {
  it("writes the CSV files of any result, and trace.json only for a recorded one", () => {
    const dir = mkdtempSync(join(tmpdir(), "dtsim-csv-"));
    writeRunOutputs({ dir, result: runScenario(training()) });
    expect(existsSync(join(dir, "series.csv"))).toBe(true);
    expect(existsSync(join(dir, "workers.csv"))).toBe(true);
    expect(existsSync(join(dir, "trace.json"))).toBe(false);
    const other = mkdtempSync(join(tmpdir(), "dtsim-csv-"));
    writeRunOutputs({ dir: other, result: runScenario(allreduce(), { record: true }) });
    expect(existsSync(join(other, "series.csv"))).toBe(false);
    expect(readFileSync(join(other, "workers.csv"), "utf8").split("\n")).toHaveLength(8 + 2);
    expect(existsSync(join(other, "trace.json"))).toBe(true);
  });

  it("a folder it cannot write to is an input error on --out", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "dtsim-csv-")), "missing");
    expect(() => writeRunOutputs({ dir, result: runScenario(allreduce()) })).toThrow(
      /^--out: got .*workers\.csv/,
    );
  });
});
