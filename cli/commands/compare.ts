import { Effect, Option } from "effect";
import { Argument, Command, Flag } from "effect/cli";
import type { ExitCode } from "../exit-codes.ts";
import { runCompare } from "../report/compare.ts";

/** `dtsim compare DIR… [--out DIR2] [--json]`. */
export function compareCommand(done: (code: ExitCode) => void) {
  return Command.make(
    "compare",
    {
      dirs: Argument.String("DIR").pipe(
        Argument.withDescription("Run directories written by `dtsim run --out DIR` (each holds result.json)"),
        Argument.atLeast(1),
      ),
      out: Flag.String("out").pipe(
        Flag.withMetavar("DIR2"),
        Flag.withDescription(
          "Also write compare.html (the table and the overlaid training curves) into DIR2",
        ),
        Flag.optional,
      ),
      json: Flag.Boolean("json").pipe(
        Flag.withDescription("Print each run's headline metrics as one JSON object instead of the table"),
        Flag.withDefault(false),
      ),
    },
    (input) =>
      Effect.promise(() =>
        runCompare({ dirs: input.dirs, out: Option.getOrUndefined(input.out), json: input.json }),
      ).pipe(Effect.map(done)),
  ).pipe(
    Command.withDescription(
      "Print the summaries of several runs side by side (and write compare.html with --out)",
    ),
    Command.withExamples([
      {
        command: "dtsim compare runs/gossip runs/a2cid2 --out runs/comparison",
        description: "Two runs of `dtsim run --out`, side by side",
      },
    ]),
  );
}
