import { basename, extname } from "node:path";
import { InputError } from "../sim/errors.ts";
import { resultToJson } from "../sim/result.ts";
import { decodeScenario } from "../sim/scenario/decode.ts";
import { applySet } from "../sim/scenario/overrides.ts";
import { writeArtifacts } from "./artifacts.ts";
import { ExitCode } from "./exit-codes.ts";
import { loadScenarioFile } from "./load.ts";
import { machineFor } from "./machine.ts";
import { makeDirectory } from "./make-directory.ts";
import { progressReporter } from "./progress.ts";
import { formatSummary } from "./summary.ts";
import { exitIfOrphaned, ORPHAN_CHECK_EVERY } from "./sweep/orphan.ts";
import { reportFailure } from "./user-errors.ts";

export interface RunFileOptions {
  readonly file: string;
  /** `path=value` assignments, applied in order. */
  readonly set: ReadonlyArray<string>;
  readonly seed: string | undefined;
  readonly json: boolean;
  readonly out: string | undefined;
  /** With `out`: also write the report's plots as PNG files (`--png`). */
  readonly png?: boolean;
  /** The calibration profile for `preset: this-machine` (default: dtsim-profile.json if present). */
  readonly profile?: string | undefined;
}

/**
 * `dtsim run`: read, override, decode, run, report. Every failure ends here as an exit code and one
 * line on stderr (see reportError); nothing is thrown past this function.
 */
export async function runFile(options: RunFileOptions): Promise<ExitCode> {
  const progress = progressReporter(process.stderr);
  try {
    if (options.png === true && options.out === undefined) {
      throw new InputError("--png", true, "--png together with --out DIR (the folder the PNG files go to)");
    }
    const raw = effectiveInput(options);
    const machine = machineFor(raw, options.profile);
    const scenario = decodeScenario(raw, {
      defaultName: basename(options.file, extname(options.file)),
      ...(machine === undefined ? {} : { machine }),
    });
    // Create the output folder before the run, so that a bad --out does not waste a long simulation.
    if (options.out !== undefined) prepareOutDir(options.out);
    // Imported here rather than at the top: --help and input errors then never load the engine.
    const { runScenario } = await import("../sim/run.ts");
    exitIfOrphaned();
    const onProgress = (simTime: number, events: number) => {
      exitIfOrphaned();
      progress.update(simTime, events);
    };
    const result = runScenario(scenario, {
      onProgress,
      progressEvery: ORPHAN_CHECK_EVERY,
      record: options.out !== undefined,
    });
    progress.done();
    const json = resultToJson(result);
    if (options.out !== undefined) {
      await writeArtifacts({ dir: options.out, result, json, raw, scenario, png: options.png === true });
    }
    process.stdout.write(options.json ? `${JSON.stringify(json, null, 2)}\n` : formatSummary(result));
    return ExitCode.ok;
  } catch (error) {
    progress.done();
    return reportFailure(error);
  }
}

/** The file's content with the --set assignments, then --seed, applied. */
export function effectiveInput(options: Pick<RunFileOptions, "file" | "set" | "seed">): unknown {
  let raw = loadScenarioFile(options.file);
  // A top level that is not an object is left for decoding to report, with its usual message.
  const isObject = (value: unknown): value is object =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  for (const assignment of options.set) if (isObject(raw)) raw = applySet(raw, assignment);
  if (options.seed !== undefined && isObject(raw)) raw = { ...raw, seed: parseSeed(options.seed) };
  return raw;
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed)) {
    throw new InputError("--seed", text, "a non-negative integer");
  }
  return seed;
}

function prepareOutDir(dir: string): void {
  try {
    makeDirectory(dir);
  } catch (error) {
    throw new InputError("--out", dir, `a folder dtsim can create (${(error as Error).message})`);
  }
}
