import { Effect, FileSystem, Layer, Path, Sink, Stdio, Stream, Terminal } from "effect";
import { ChildProcessSpawner } from "effect/process";

/**
 * The services effect/cli asks of its host. They normally come from @effect/platform-node, which is
 * not a dependency of ours: our handlers do their own file and console I/O, and effect/cli itself only
 * needs the arguments, the terminal width (to lay out help) and Path. So the rest are stand-ins that
 * fail loudly if ever used: prompts (--wizard) and child processes are switched off in command.ts.
 */
export function cliPlatform(args: ReadonlyArray<string>) {
  const unused = (what: string) => Effect.die(new Error(`dtsim's CLI does not support ${what}`));
  return Layer.mergeAll(
    FileSystem.layerNoop({}),
    Path.layer,
    Layer.succeed(
      Stdio.Stdio,
      Stdio.make({
        args: Effect.succeed(args),
        stdout: () => Sink.drain,
        stderr: () => Sink.drain,
        stdin: Stream.empty,
        stdoutIsTerminal: Effect.sync(() => process.stdout.isTTY === true),
        stderrIsTerminal: Effect.sync(() => process.stderr.isTTY === true),
      }),
    ),
    Layer.succeed(
      Terminal.Terminal,
      Terminal.make({
        columns: Effect.sync(() => process.stdout.columns ?? 100),
        rows: Effect.sync(() => process.stdout.rows ?? 24),
        size: unused("terminal size queries"),
        readInput: unused("interactive input"),
        readLine: unused("interactive input"),
        display: (text) => Effect.sync(() => void process.stdout.write(text)),
      }),
    ),
    Layer.succeed(
      ChildProcessSpawner.ChildProcessSpawner,
      ChildProcessSpawner.make(() => unused("child processes")),
    ),
  );
}
