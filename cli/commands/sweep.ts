import { Effect, Option } from "effect";
import { Argument, Command, Flag } from "effect/cli";
import type { ExitCode } from "../exit-codes.ts";
import { setFlag } from "../flags.ts";
import { runSweep } from "../sweep/sweep.ts";

/**
 * `dtsim sweep FILE --grid path=v1,v2,… [--grid …] [--set path=value]… [--seeds K] [--parallel N]
 * [--queue redis://HOST:PORT[/DB]] [--metric NAME] --out DIR`.
 */
export function sweepCommand(done: (code: ExitCode) => void) {
  return Command.make(
    "sweep",
    {
      file: Argument.String("FILE").pipe(Argument.withDescription("Scenario file, YAML or JSON")),
      grid: Flag.String("grid").pipe(
        Flag.withMetavar("PATH=V1,V2,…"),
        Flag.withDescription(
          "Sweep a field over values (each read as YAML, like --set; commas inside [] {} or quotes do not " +
            "split), e.g. --grid cluster.workers=8,16,32. Repeatable: the runs are the cross product",
        ),
        Flag.atLeast(0),
      ),
      set: setFlag("Override a field in every run, before the grid's values. Repeatable"),
      // Strings, checked by sweep.ts, so that a bad number reads like every other bad input.
      seeds: Flag.String("seeds").pipe(
        Flag.withMetavar("K"),
        Flag.withDescription(
          "Runs per grid point, with seeds S, S+1, …, S+K−1 (S: the scenario's). Default 1",
        ),
        Flag.optional,
      ),
      parallel: Flag.String("parallel").pipe(
        Flag.withMetavar("N"),
        Flag.withDescription("Runs at a time, each its own process. Default: the number of CPUs"),
        Flag.optional,
      ),
      queue: Flag.String("queue").pipe(
        Flag.withMetavar("redis://HOST:PORT[/DB]"),
        Flag.withDescription(
          "Run on the workers of this Redis (BullMQ) queue instead of local processes (start them with " +
            "dtsim worker --queue …). ACL credentials go in the URL (redis://USER:PASSWORD@HOST:PORT) and are never printed",
        ),
        Flag.optional,
      ),
      metric: Flag.String("metric").pipe(
        Flag.withMetavar("NAME"),
        Flag.withDescription(
          "The metric of the scaling plot (a runs.csv column). Default distanceToOptimum, else loss, else simTime",
        ),
        Flag.optional,
      ),
      png: Flag.Boolean("png").pipe(
        Flag.withDescription("Also write the scaling plot as scaling.png"),
        Flag.withDefault(false),
      ),
      out: Flag.String("out").pipe(
        Flag.withMetavar("DIR"),
        Flag.withDescription(
          "Folder of the sweep: runs/, sweep.json, runs.csv, summary.csv, scaling.vl.json, scaling.svg. The same command " +
            "again resumes it (finished runs are kept, failed ones retried)",
        ),
      ),
    },
    (input) =>
      Effect.promise(() =>
        runSweep({
          file: input.file,
          grids: input.grid,
          set: input.set,
          seeds: Option.getOrUndefined(input.seeds),
          parallel: Option.getOrUndefined(input.parallel),
          metric: Option.getOrUndefined(input.metric),
          out: input.out,
          png: input.png,
          queue: Option.getOrUndefined(input.queue),
        }),
      ).pipe(Effect.map(done)),
  ).pipe(
    Command.withDescription(
      "Run a scenario over a grid of field values and seeds, in parallel processes, into a resumable folder",
    ),
    Command.withExamples([
      {
        command:
          "dtsim sweep scenarios/core/gossip-timing.yaml --grid cluster.workers=16,64 --seeds 3 --out sweeps/gossip",
        description: "Two sizes, three seeds each",
      },
      {
        command:
          "dtsim sweep scenarios/core/gossip-timing.yaml --grid cluster.workers=16,64 --queue redis://10.0.0.5:6379 --out sweeps/gossip",
        description: "The same runs, on the dtsim workers of a Redis queue",
      },
    ]),
  );
}
