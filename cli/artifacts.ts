import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../sim/errors.ts";
import type { RunResult } from "../sim/result.ts";
import type { Scenario } from "../sim/scenario/types.ts";
import { writeRunOutputs } from "./output/index.ts";

/** What a finished run hands to the writers of `--out DIR`. */
export interface RunArtifacts {
  readonly dir: string;
  readonly result: RunResult;
  /** The JSON contract of the result (`resultToJson`). */
  readonly json: Record<string, unknown>;
  /** The effective input, after --set and --seed: running it again repeats the run. */
  readonly raw: unknown;
  readonly scenario: Scenario;
}

/** One output file (or a few) of `--out DIR`. */
export type ArtifactWriter = (artifacts: RunArtifacts) => void;

const writeResult: ArtifactWriter = ({ dir, json }) => writeJson(dir, "result.json", json);
const writeScenario: ArtifactWriter = ({ dir, raw }) => writeJson(dir, "scenario.json", raw);

/** Every writer of `--out DIR`, in order. A new output is one more writer here. */
export const artifactWriters: ArtifactWriter[] = [writeResult, writeScenario, writeRunOutputs];

export function writeArtifacts(artifacts: RunArtifacts): void {
  for (const write of artifactWriters) write(artifacts);
}

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
