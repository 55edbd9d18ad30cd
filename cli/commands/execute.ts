import { Effect, Option } from "effect";
import { Argument, Command, Flag } from "effect/cli";
import { executeFile } from "../execute-file.ts";
import type { ExitCode } from "../exit-codes.ts";
import { jsonFlag, seedFlag, setFlag } from "../flags.ts";

/** `dtsim execute FILE [--device cpu|webgpu] [--processes] [--set path=value]… [--seed N] [--json]`. */
export function executeCommand(done: (code: ExitCode) => void) {
  return Command.make(
    "execute",
    {
      file: Argument.String("FILE").pipe(Argument.withDescription("Scenario file, YAML or JSON")),
      device: Flag.Literals("device", ["cpu", "webgpu"]).pipe(
        Flag.withDescription("Where gradients are computed (webgpu: one Dawn device per worker)"),
        Flag.withDefault("cpu" as const),
      ),
      processes: Flag.Boolean("processes").pipe(
        Flag.withDescription(
          "One OS process per worker, owning its device, peers over TCP (a dead worker stops the run with a report, exit 1)",
        ),
        Flag.withDefault(false),
      ),
      set: setFlag("Override a field before decoding, as in `dtsim run`. Repeatable"),
      seed: seedFlag(),
      json: jsonFlag("Print the result as one JSON object (the run's contract plus `measured`)"),
    },
    (input) =>
      Effect.promise(() =>
        executeFile({
          file: input.file,
          set: input.set,
          seed: Option.getOrUndefined(input.seed),
          json: input.json,
          device: input.device,
          processes: input.processes,
        }),
      ).pipe(Effect.map(done)),
  ).pipe(
    Command.withDescription(
      "Run a training scenario for real, in wall-clock time: real gradients, links shaped by the network model",
    ),
    Command.withExamples([
      {
        command: "dtsim execute scenario.yaml --set stop.time=2s --json",
        description: "Train for 2 s of wall time on the CPU",
      },
    ]),
  );
}
