import { Effect, Option } from "effect";
import { Argument, Command, Flag } from "effect/cli";
import type { ExitCode } from "../exit-codes.ts";
import { jsonFlag, profileFlag, seedFlag, setFlag } from "../flags.ts";
import { runFile } from "../run-file.ts";

/** `dtsim run FILE [--set path=value]… [--seed N] [--json] [--out DIR]`. */
export function runCommand(done: (code: ExitCode) => void) {
  return Command.make(
    "run",
    {
      file: Argument.String("FILE").pipe(Argument.withDescription("Scenario file, YAML or JSON")),
      set: setFlag(
        "Override a field before decoding, e.g. --set cluster.network.bandwidth='25 Gb/s' or " +
          "--set cluster.devices.0.speed=0.5 (the value is read as YAML). Repeatable, applied in order",
      ),
      seed: seedFlag(),
      json: jsonFlag("Print the result as one JSON object instead of the summary"),
      out: Flag.String("out").pipe(
        Flag.withMetavar("DIR"),
        Flag.withDescription(
          "Also write result.json, the effective scenario.json, CSV files, trace.json and report.html into DIR, created if needed",
        ),
        Flag.optional,
      ),
      profile: profileFlag(
        "Calibration profile for devices with preset this-machine (default dtsim-profile.json when present)",
      ),
      png: Flag.Boolean("png").pipe(
        Flag.withDescription("With --out: also write the report's plots to DIR/plots/ as PNG and SVG files"),
        Flag.withDefault(false),
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
          png: input.png,
          profile: Option.getOrUndefined(input.profile),
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
}
