import { Effect, Exit, Layer, Option } from "effect";
import { Argument, CliConfig, CliOutput, Command, Flag, GlobalFlag } from "effect/cli";
import packageJson from "../package.json" with { type: "json" };
import { cliPlatform } from "./effect-platform.ts";
import { ExitCode } from "./exit-codes.ts";
import { type ParseOutcome, presenter } from "./presenter.ts";
import { runFile } from "./run-file.ts";

/** The `dtsim` command tree. Handlers report through `done`, the exit code they want. */
function commands(done: (code: ExitCode) => void) {
  const run = Command.make(
    "run",
    {
      file: Argument.String("FILE").pipe(Argument.withDescription("Scenario file, YAML or JSON")),
      set: Flag.String("set").pipe(
        Flag.withMetavar("PATH=VALUE"),
        Flag.withDescription(
          "Override a field before decoding, e.g. --set cluster.network.bandwidth='25 Gb/s' or " +
            "--set cluster.devices.0.speed=0.5 (the value is read as YAML). Repeatable, applied in order",
        ),
        Flag.atLeast(0),
      ),
      // A string, checked by run-file.ts, so that a bad seed reads like every other bad input.
      seed: Flag.String("seed").pipe(
        Flag.withMetavar("N"),
        Flag.withDescription("Override the scenario's seed (after any --set)"),
        Flag.optional,
      ),
      json: Flag.Boolean("json").pipe(
        Flag.withDescription("Print the result as one JSON object instead of the summary"),
        Flag.withDefault(false),
      ),
      out: Flag.String("out").pipe(
        Flag.withMetavar("DIR"),
        Flag.withDescription(
          "Also write result.json (and the effective scenario.json) into DIR, created if needed",
        ),
        Flag.optional,
      ),
    },
    (input) =>
      Effect.promise(() =>
        runFile({
          file: input.file,
          set: input.set,
          seed: Option.getOrUndefined(input.seed),
          json: input.json,
          out: Option.getOrUndefined(input.out),
        }),
      ).pipe(Effect.map(done)),
  ).pipe(
    Command.withDescription("Run a scenario and print a summary of the result (or JSON with --json)"),
    Command.withExamples([
      { command: "dtsim run scenarios/core/allreduce.yaml", description: "Run a scenario" },
      {
        command: "dtsim run scenarios/core/gossip-timing.yaml --set cluster.workers=256 --json",
        description: "Change a field, print JSON",
      },
    ]),
  );
  return Command.make("dtsim").pipe(
    Command.withDescription("Discrete-event simulator of distributed deep-learning training"),
    Command.withSubcommands([run]),
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
