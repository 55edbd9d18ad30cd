import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildCommand } from "../../cli/sweep/child.ts";
import type { SweepRun } from "../../cli/sweep/grid.ts";
import { runSweep, type SweepIo, type SweepOptions } from "../../cli/sweep/sweep.ts";

export const ALLREDUCE = "scenarios/core/allreduce.yaml";

const temporaries: string[] = [];

/** A fresh folder under the system's temporary folder, removed by removeTempDirs. */
export function tempDir(prefix = "dtsim-sweep-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporaries.push(dir);
  return dir;
}

/** Removes every folder tempDir made (for an afterAll). */
export function removeTempDirs(): void {
  for (const dir of temporaries.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A CSV file as rows of fields (RFC 4180: quoted fields, doubled quotes). */
export function readCsv(path: string): string[][] {
  const text = readFileSync(path, "utf8");
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === "," || c === "\n") {
      row.push(field);
      field = "";
      if (c === "\n") {
        rows.push(row);
        row = [];
      }
    } else field += c;
  }
  return rows;
}

/** The CSV's rows as objects keyed by the header. */
export function csvObjects(path: string): Record<string, string>[] {
  const [header, ...rows] = readCsv(path);
  return rows.map((row) => Object.fromEntries(row.map((v, i) => [header![i]!, v])));
}

/** The CSV's text without the named columns. */
export function withoutColumns(path: string, names: ReadonlyArray<string>): string {
  const rows = readCsv(path);
  const drop = new Set(rows[0]!.flatMap((name, i) => (names.includes(name) ? [i] : [])));
  return rows.map((row) => row.filter((_, i) => !drop.has(i)).join(",")).join("\n");
}

/** The runs' commands, recording which runs were started. */
export function recording(started: Array<string | number>, key: "id" | "index" = "id") {
  return (run: SweepRun): ChildCommand => {
    started.push(run[key]);
    return fakeResult(run);
  };
}

/** A command that prints a fake result whose simTime is the seed times the first grid value. */
export function fakeResult(run: SweepRun): ChildCommand {
  const value = Number(run.point.assignments[0]?.split("=")[1] ?? 1);
  const result = {
    scenario: "fake",
    seed: run.seed,
    simTime: run.seed * value,
    events: 100 + run.seed,
    wallTime: Math.random(),
    workers: [{ id: 0, computeTime: 1, commTime: 0.5, idleTime: 0, exposedCommTime: 0, bytesSent: 10 }],
  };
  return {
    command: process.execPath,
    args: ["-e", `process.stdout.write(${JSON.stringify(JSON.stringify(result))})`],
  };
}

/** runSweep in this process, its lines collected; the runs' commands and the SVG renderer replaceable. */
export async function sweepInProcess(
  options: Partial<SweepOptions> & { out: string },
  io: Partial<SweepIo> = {},
): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runSweep(
    {
      file: ALLREDUCE,
      grids: [],
      set: [],
      seeds: undefined,
      parallel: "2",
      metric: undefined,
      ...options,
    },
    {
      note: (line) => lines.push(line),
      command: fakeResult,
      renderSvg: async () => undefined,
      handleSignals: false,
      ...io,
    },
  );
  return { code, lines };
}
