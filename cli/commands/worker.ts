import { Effect, Option } from "effect";
import { Command, Flag } from "effect/cli";
import type { ExitCode } from "../exit-codes.ts";

/** `dtsim worker --queue redis://HOST:PORT[/DB] [--concurrency N] [--stall-timeout S]`. */
export function workerCommand(done: (code: ExitCode) => void) {
  return Command.make(
    "worker",
    {
      queue: Flag.String("queue").pipe(
        Flag.withMetavar("redis://HOST:PORT[/DB]"),
        Flag.withDescription(
          "The Redis of the sweeps to work for (ACL credentials in the URL: redis://USER:PASSWORD@HOST:PORT; never printed)",
        ),
      ),
      concurrency: Flag.String("concurrency").pipe(
        Flag.withMetavar("N"),
        Flag.withDescription("Runs at a time, each its own process. Default 1"),
        Flag.optional,
      ),
      stallTimeout: Flag.String("stall-timeout").pipe(
        Flag.withMetavar("SECONDS"),
        Flag.withDescription(
          "How long a run's lock lasts without renewal: a worker that dies loses its runs to the others after " +
            "this long. Default 30",
        ),
        Flag.optional,
      ),
    },
    (input) =>
      Effect.promise(async () => {
        // Imported here: BullMQ and ioredis load only for this command.
        const { runWorker } = await import("../queue/worker.ts");
        return runWorker({
          queue: input.queue,
          concurrency: Option.getOrUndefined(input.concurrency),
          stallSeconds: Option.getOrUndefined(input.stallTimeout),
        });
      }).pipe(Effect.map(done)),
  ).pipe(
    Command.withDescription(
      "Run the runs of `dtsim sweep --queue` from a Redis queue, on this machine, until Ctrl-C (which lets running ones finish)",
    ),
    Command.withExamples([
      {
        command: "dtsim worker --queue redis://10.0.0.5:6379 --concurrency 8",
        description: "Eight runs at a time",
      },
    ]),
  );
}
