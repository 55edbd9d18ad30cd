import { type Child, type ChildCommand, startChild } from "./child.ts";
import type { Executor, RunOutcome } from "./executor.ts";
import type { SweepRun } from "./grid.ts";

/**
 * The embedded executor: each run a fresh `dtsim run … --json` process on this machine, `parallel`
 * at a time. `stop` kills the running ones (they stay pending and run again on resume).
 */
export function localPool(parallel: number, commandFor: (run: SweepRun) => ChildCommand): Executor {
  const running = new Set<Child>();
  let stopping = false;
  const stop = () => {
    stopping = true;
    for (const child of running) child.kill();
  };
  const run: Executor["run"] = async (pending, finished) => {
    const queue = [...pending];
    const work = async () => {
      for (let next = queue.shift(); next !== undefined && !stopping; next = queue.shift()) {
        const command = commandFor(next);
        const child = startChild(command);
        running.add(child);
        const outcome = await child.done;
        running.delete(child);
        // Stopped: a run that finished is kept, one that did not (we killed it) stays pending.
        if (stopping && !outcome.ok) return;
        const result: RunOutcome = outcome.ok
          ? { ok: true, stdout: outcome.stdout, seconds: outcome.seconds }
          : {
              ok: false,
              error: outcome.error,
              detail: `${commandLine(command)}\n\n${outcome.stderr}`,
              seconds: outcome.seconds,
            };
        finished(next, result);
      }
    };
    const worker = async () => {
      try {
        await work();
      } catch (error) {
        stop();
        throw error;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(parallel, Math.max(1, queue.length)) }, worker));
    } finally {
      for (const child of running) child.kill();
    }
  };
  return { run, stop, interruptedNote: "run the same command again to resume" };
}

/** The command as a POSIX shell reads it back. */
export function commandLine(command: ChildCommand): string {
  return [command.command, ...command.args].map(shellQuote).join(" ");
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
