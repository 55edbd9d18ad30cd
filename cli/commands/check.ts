import { basename, extname } from "node:path";
import { Effect } from "effect";
import { Argument, Command } from "effect/cli";
import { applySet } from "../../sim/scenario/overrides.ts";
import { ExitCode } from "../exit-codes.ts";
import { setFlag } from "../flags.ts";
import { loadScenarioFile } from "../load.ts";
import { machineFor } from "../machine.ts";
import { describeScenario } from "../scenario-summary.ts";
import { reportFailure } from "../user-errors.ts";

/** `dtsim check FILE… [--set path=value]…`. */
export function checkCommand(done: (code: ExitCode) => void) {
  return Command.make(
    "check",
    {
      files: Argument.String("FILE").pipe(
        Argument.withDescription("Scenario files, YAML or JSON"),
        Argument.atLeast(1),
      ),
      set: setFlag("Override a field before checking, as with dtsim run (applied to every FILE). Repeatable"),
    },
    (input) => Effect.promise(() => checkFiles(input.files, input.set)).pipe(Effect.map(done)),
  ).pipe(
    Command.withDescription(
      "Check scenario files without running them: every problem, one line each (exit 2), or one ok line per file",
    ),
    Command.withExamples([
      { command: "dtsim check scenarios/core/*.yaml", description: "Check several files" },
      {
        command: "dtsim check scenarios/core/p2p.yaml --set cluster.workers=2",
        description: "Check a file as a run with this --set would see it",
      },
    ]),
  );
}

/**
 * Checks each file in turn: its problems go to stderr, `FILE: path: got …, expected …`, one per line;
 * a file without any gets `FILE: ok (…)` on stdout. The exit code is the worst outcome: 0 when every
 * file is fine, 2 when one has a problem, 70 on a bug.
 */
export async function checkFiles(
  files: ReadonlyArray<string>,
  set: ReadonlyArray<string>,
): Promise<ExitCode> {
  let code: ExitCode = ExitCode.ok;
  for (const file of files) {
    const outcome = await checkFile(file, set);
    if (outcome > code) code = outcome;
  }
  return code;
}

async function checkFile(file: string, set: ReadonlyArray<string>): Promise<ExitCode> {
  try {
    let raw = loadScenarioFile(file);
    const isObject = (value: unknown): value is object =>
      typeof value === "object" && value !== null && !Array.isArray(value);
    for (const assignment of set) if (isObject(raw)) raw = applySet(raw, assignment);
    // Imported here rather than at the top: --help never loads the engine.
    const { checkScenario } = await import("../../sim/check.ts");
    const machine = machineFor(raw, undefined);
    const result = checkScenario(raw, {
      defaultName: basename(file, extname(file)),
      ...(machine === undefined ? {} : { machine }),
    });
    if (!result.ok) {
      for (const problem of result.problems) process.stderr.write(`${file}: ${problem.message}\n`);
      return ExitCode.badInput;
    }
    process.stdout.write(`${file}: ok (${describeScenario(result.scenario)})\n`);
    return ExitCode.ok;
  } catch (error) {
    // A file that cannot be read or parsed, a malformed --set: one line, as `dtsim run` shows it.
    return reportFailure(error);
  }
}
