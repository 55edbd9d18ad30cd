import { readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputError } from "../../sim/errors.ts";
import { makeDirectory } from "../make-directory.ts";
import { isLockFile } from "./lock.ts";
import { isResult } from "./metrics.ts";

/**
 * The sweep's folder:
 *   DIR/sweep.json          the definition (file, grids, seeds, sets): a resumed sweep must match it
 *   DIR/runs/<id>.json      each finished run's result, as `dtsim run --json` printed it
 *   DIR/runs/<id>.error.txt a failed run's command and stderr (removed once it succeeds)
 *   DIR/runs.csv, DIR/summary.csv, DIR/scaling.vl.json (and scaling.svg)
 *   DIR/.lock, DIR/.lock.N  the pid of the sweep working in DIR, while it runs (lock.ts)
 * Every file is written to a temporary name (`.<name>.<pid>.tmp`) and renamed, so that a sweep killed
 * at any moment leaves either the whole file or none: a run's result file exists only if it finished.
 */

/** What makes two sweeps the same one (`--parallel` does not: it changes no result). */
export interface SweepDefinition {
  /** The scenario file, absolute. */
  readonly file: string;
  /**
   * SHA-256 of the file's content as parsed (JSON of the YAML's value): results from before and after
   * an edit of a value must not mix; comments and layout do not count.
   */
  readonly scenarioSha256: string;
  readonly grids: ReadonlyArray<{ readonly path: string; readonly values: ReadonlyArray<string> }>;
  /** K: seeds per grid point. */
  readonly seeds: number;
  /** The seed of the first run of each point: the scenario's, after --set. */
  readonly baseSeed: number;
  /** The --set assignments, in order. */
  readonly sets: ReadonlyArray<string>;
}

const DEFINITION = "sweep.json";
const RUNS = "runs";
/** Our own names, which may be in DIR before its sweep.json (a sweep killed as it began). */
const isOurs = (name: string) => isLockFile(name) || name === RUNS || /^\..*\.tmp$/.test(name);

/** Creates DIR (and its parents) if needed: an InputError on --out if it cannot be. */
export function prepareDir(dir: string): void {
  try {
    makeDirectory(dir);
  } catch (error) {
    throw new InputError("--out", dir, `a folder dtsim can create (${(error as Error).message})`);
  }
}

/**
 * Records the definition in DIR/sweep.json, or checks it against the one there: a folder holding
 * another sweep, or other files and no sweep, is refused. Returns whether DIR already held this sweep.
 */
export function claimDefinition(dir: string, definition: SweepDefinition): boolean {
  const held = checkDefinition(dir, definition);
  if (!held) writeAtomic(join(dir, DEFINITION), `${JSON.stringify(definition, null, 2)}\n`);
  return held;
}

/** claimDefinition without the writing: throws if DIR is not for this sweep, else says if it holds it. */
export function checkDefinition(dir: string, definition: SweepDefinition): boolean {
  const path = join(dir, DEFINITION);
  let text: string | undefined;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new InputError("--out", dir, `a folder dtsim can read (${(error as Error).message})`);
    }
  }
  if (text === undefined) {
    const others = readdirSync(dir).filter((name) => !isOurs(name));
    if (others.length > 0) {
      throw new InputError(
        "--out",
        dir,
        `a new or empty folder, or one holding this same sweep (it holds ${others.length} other file(s) and no ${DEFINITION})`,
      );
    }
    return false;
  }
  const difference = differingField(text, definition);
  if (difference !== undefined) {
    throw new InputError(
      "--out",
      dir,
      `a new folder or one holding this same sweep (its ${DEFINITION} has ${difference}; use another --out, or delete the folder to start over)`,
    );
  }
  return true;
}

function differingField(text: string, definition: SweepDefinition): string | undefined {
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return "unreadable JSON";
  }
  if (typeof stored !== "object" || stored === null) return "unreadable JSON";
  const same = (key: keyof SweepDefinition) =>
    JSON.stringify(stored[key]) === JSON.stringify(definition[key]);
  if (!same("file")) return `another scenario file, ${JSON.stringify(stored.file)}`;
  if (!same("scenarioSha256")) return "the scenario file as it was before an edit";
  if (!same("grids")) return "other grids";
  if (!same("seeds")) return `other seeds (--seeds ${JSON.stringify(stored.seeds)})`;
  if (!same("sets")) return "other --set assignments";
  if (!same("baseSeed")) return "another base seed";
  return undefined;
}

/** DIR/runs, created, with the temporary files of an interrupted sweep removed. */
export function prepareRunsDir(dir: string): string {
  const runs = join(dir, RUNS);
  prepareDir(runs);
  for (const name of readdirSync(runs))
    if (/^\..*\.tmp$/.test(name)) rmSync(join(runs, name), { force: true });
  return runs;
}

export function resultPath(runsDir: string, id: string): string {
  return join(runsDir, `${id}.json`);
}

export function errorPath(runsDir: string, id: string): string {
  return join(runsDir, `${id}.error.txt`);
}

/** The run's result if its file is there and holds one (a damaged file counts as not finished). */
export function readFinished(runsDir: string, id: string): Record<string, unknown> | undefined {
  const text = readText(resultPath(runsDir, id));
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isResult(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Writes `path` whole or not at all: a temporary file in the same folder, then a rename. */
export function writeAtomic(path: string, text: string | Uint8Array): void {
  const temporary = join(dirname(path), `.${path.slice(dirname(path).length + 1)}.${process.pid}.tmp`);
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
