/**
 * The analysis outputs of `dtsim run --out DIR`, next to result.json: `series.csv` (training runs),
 * `workers.csv` (always) and `trace.json` (whenever the run was recorded, which the CLI does with
 * --out). One `ArtifactWriter` (cli/out-files.ts, listed in cli/artifacts.ts) writes them all.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../sim/errors.ts";
import { recordingOf } from "../../sim/metrics/recording.ts";
import type { RunResult } from "../../sim/result.ts";
import { formatCount, formatSeconds } from "../format.ts";
import { seriesCsv, workersCsv } from "./csv.ts";
import { buildTrace, traceChunks } from "./trace.ts";

/** What the writer needs of `RunArtifacts`. */
export interface OutputArtifacts {
  readonly dir: string;
  readonly result: RunResult;
}

export function writeRunOutputs({ dir, result }: OutputArtifacts, warn = warnOnStderr): void {
  const series = seriesCsv(result);
  if (series !== undefined) writeChunks(dir, "series.csv", [series]);
  writeChunks(dir, "workers.csv", [workersCsv(result)]);
  const recording = recordingOf(result);
  if (recording === undefined) return;
  writeChunks(dir, "trace.json", traceChunks(buildTrace(result, recording)));
  if (recording.truncatedAt !== undefined) {
    warn(
      `warning: trace.json stops at ${formatSeconds(recording.truncatedAt)} of the run's ` +
        `${formatSeconds(recording.simTime)} (more than ${formatCount(recording.maxSpans)} spans); ` +
        "result.json and the CSV files cover the whole run",
    );
  }
}

function warnOnStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Writes `dir/name` piece by piece; a folder that cannot take it is an InputError on --out. */
export function writeChunks(dir: string, name: string, chunks: Iterable<string>): void {
  let fd: number | undefined;
  try {
    fd = openSync(join(dir, name), "w");
    for (const chunk of chunks) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error; // a bug, not the folder
    throw new InputError("--out", dir, `a folder dtsim can write ${name} to (${(error as Error).message})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
