import { Effect, Exit, Layer } from "effect";
import { CliConfig, CliOutput, Command, GlobalFlag } from "effect/cli";
import packageJson from "../package.json" with { type: "json" };
import { calibrateCommand } from "./commands/calibrate.ts";
import { checkCommand } from "./commands/check.ts";
import { compareCommand } from "./commands/compare.ts";
import { executeCommand } from "./commands/execute.ts";
import { playgroundCommand } from "./commands/playground.ts";
import { presetsCommand } from "./commands/presets.ts";
import { runCommand } from "./commands/run.ts";
import { schedulesCommand } from "./commands/schedules.ts";
import { sweepCommand } from "./commands/sweep.ts";
import { validateCommand } from "./commands/validate.ts";
import { workerCommand } from "./commands/worker.ts";
import { cliPlatform } from "./effect-platform.ts";
import { ExitCode } from "./exit-codes.ts";
import { type ParseOutcome, presenter } from "./presenter.ts";

/**
 * The `dtsim` command tree: one file per subcommand in `commands/`, each given `done` to report the
 * exit code it wants.
 */
function commands(done: (code: ExitCode) => void) {
  return Command.make("dtsim").pipe(
    Command.withDescription("Discrete-event simulator of distributed deep-learning training"),
    Command.withSubcommands([
      runCommand(done),
      executeCommand(done),
      sweepCommand(done),
      workerCommand(done),
      playgroundCommand(done),
      compareCommand(done),
      checkCommand(done),
      calibrateCommand(done),
      validateCommand(done),
      schedulesCommand(done),
      presetsCommand(done),
    ]),
  );
}

/**
 * Parses `argv` (without node and the script) and runs the command it names. Resolves to the exit
 * code: the handler's; 0 after --help or --version; 2 for arguments effect/cli refused (the presenter
 * has printed the one-line reason); 70 if effect/cli itself failed in some other way.
 */
export async function runCli(argv: ReadonlyArray<string>): Promise<ExitCode> {
  let code: ExitCode | undefined;
  let outcome: ParseOutcome | undefined;
  const program = Command.runWith(
    commands((c) => (code = c)),
    { version: packageJson.version },
  )(argv).pipe(
    Effect.provide(
      Layer.mergeAll(
        cliPlatform(argv),
        CliOutput.layerPresenter(presenter((o) => (outcome = o))),
        // Only --help and --version: no --wizard (it needs prompts), completions or log levels.
        CliConfig.layer({ builtIns: [GlobalFlag.Help, GlobalFlag.Version] }),
      ),
    ),
  );
  const exit = await Effect.runPromiseExit(program);
  if (code !== undefined) return code;
  if (outcome === "help" || outcome === "version") return ExitCode.ok;
  if (outcome === "invalid" || outcome === "implicit-help") return ExitCode.badInput;
  process.stderr.write(
    `internal error: the command line parser failed${Exit.isFailure(exit) ? `: ${String(exit.cause)}` : ""}\n`,
  );
  return ExitCode.internal;
}
