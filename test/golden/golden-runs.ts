/**
 * Golden results: every shipped scenario file run with its own seed, as `dtsim run --json` prints it,
 * less the wall-clock fields. A change that moves any figure of any shipped scenario shows here as a
 * diff against the recorded file (`npx tsx test/golden/record.ts` writes them again, on purpose).
 */
import { readdirSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { loadScenarioFile } from "../../cli/load.ts";
import { resultToJson } from "../../sim/result.ts";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";
import { thisMachine } from "../fixtures/this-machine.ts";

const root = join(import.meta.dirname, "../..");
export const goldenDir = join(import.meta.dirname, "results");

const yamlFiles = (dir: string) =>
  readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `${dir}/${f}`)
    .sort();

/**
 * Every shipped scenario file, then small variants that cover each schedule in both fidelities,
 * numeric and shape-only (test/golden/variants): paths relative to the repository.
 */
export const goldenScenarios: readonly string[] = [
  ...yamlFiles("scenarios"),
  ...yamlFiles("test/golden/variants"),
];

/** The golden file's name for a scenario path relative to the repository. */
export const goldenName = (relative: string) =>
  `${relative
    .replace(/\.yaml$/, "")
    .replace(/^(scenarios|test\/golden)\//, "")
    .replaceAll("/", "--")}.json`;

const wallClock = new Set(["wallTime", "eventsPerSecond"]);

/** The scenario's `--json` result with wall-clock fields removed, as text. */
export function goldenOf(relative: string): string {
  const file = join(root, relative);
  const scenario = decodeScenario(loadScenarioFile(file), {
    defaultName: basename(file, extname(file)),
    machine: thisMachine,
  });
  const json = resultToJson(runScenario(scenario));
  return `${JSON.stringify(json, (key, value) => (wallClock.has(key) ? undefined : value), 2)}\n`;
}
