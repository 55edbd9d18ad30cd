import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../sim/errors.ts";
import type { RunResult } from "../sim/result.ts";
import type { Scenario } from "../sim/scenario/types.ts";

/**
 * What the writers of `--out DIR` share: the finished run they are handed and the two ways they write a
 * file. Apart from artifacts.ts (the list of writers) so that a writer can use them without importing
 * the list that imports it.
 */

/** What a finished run hands to the writers of `--out DIR`. */
export interface RunArtifacts {
  readonly dir: string;
  readonly result: RunResult;
  /** The JSON contract of the result (`resultToJson`). */
  readonly json: Record<string, unknown>;
  /** The effective input, after --set and --seed: running it again repeats the run. */
  readonly raw: unknown;
  readonly scenario: Scenario;
  /** --png: also write the report's plots as PNG (and SVG) files in DIR/plots/. */
  readonly png?: boolean;
}

/** One output file (or a few) of `--out DIR`; asynchronous where it draws plots. */
export type ArtifactWriter = (artifacts: RunArtifacts) => void | Promise<void>;

export function writeJson(dir: string, name: string, value: unknown): void {
  writeText(dir, name, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes `dir/name`; a folder that cannot take it is the user's problem to fix: an InputError on --out. */
export function writeText(dir: string, name: string, text: string | Uint8Array): void {
  try {
    writeFileSync(join(dir, name), text);
  } catch (error) {
    throw new InputError("--out", dir, `a folder dtsim can write ${name} to (${(error as Error).message})`);
  }
}
