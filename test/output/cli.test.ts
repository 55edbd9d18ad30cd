import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { WORKER_COLUMNS } from "../../cli/output/csv.ts";
import { dtsim } from "../cli/dtsim.ts";
import { checkTrace, totalDuration } from "./trace-format.ts";

/** End to end, as a user runs it: `dtsim run … --out DIR` leaves a trace Perfetto opens, and the CSVs. */
it("dtsim run scenarios/core/allreduce.yaml --out DIR writes trace.json and workers.csv (no series)", async () => {
  const out = mkdtempSync(join(tmpdir(), "dtsim-out-"));
  const outcome = await dtsim(["run", "scenarios/core/allreduce.yaml", "--out", out]);
  expect(outcome.stderr).toBe("");
  expect(outcome.status).toBe(0);
  const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8")) as {
    simTime: number;
    workers: Array<Record<string, number>>;
  };

  const trace = checkTrace(JSON.parse(readFileSync(join(out, "trace.json"), "utf8")));
  expect(trace.processNames.size).toBe(8 + 1);
  expect(trace.processNames.get(9)).toBe("network");
  result.workers.forEach((worker, w) => {
    const track = [...trace.threadNames].find(
      ([key, name]) => key.startsWith(`${w + 1}/`) && name === "communication",
    );
    const comm = trace.slices.get(track![0])!;
    expect(comm).toHaveLength(10); // one slice per all-reduce
    expect(Math.abs(totalDuration(comm) / 1e6 - worker.commTime!)).toBeLessThanOrEqual(
      1e-9 * worker.commTime!,
    );
  });
  expect(trace.counters.size).toBe(16); // an uplink and a downlink per device

  expect(existsSync(join(out, "series.csv"))).toBe(false);
  const lines = readFileSync(join(out, "workers.csv"), "utf8").trimEnd().split("\n");
  expect(lines[0]).toBe([...WORKER_COLUMNS, "collectives"].join(","));
  expect(lines).toHaveLength(1 + 8);
  lines.slice(1).forEach((line, w) => {
    const cells = line.split(",").map(Number);
    expect(cells).toEqual([...WORKER_COLUMNS, "collectives"].map((column) => result.workers[w]![column]));
  });
});
