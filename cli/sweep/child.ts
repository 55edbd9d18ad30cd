import { spawn } from "node:child_process";
import { SWEEP_PARENT_ENV } from "./orphan.ts";

/** A command line: the program and its arguments. */
export interface ChildCommand {
  readonly command: string;
  readonly args: ReadonlyArray<string>;
}

/** How a child process ended. */
export type ChildOutcome =
  | { readonly ok: true; readonly stdout: string; readonly seconds: number }
  | {
      readonly ok: false;
      /** One line: the last line of its stderr, or how it ended when it printed nothing. */
      readonly error: string;
      readonly stderr: string;
      readonly seconds: number;
    };

export interface Child {
  readonly done: Promise<ChildOutcome>;
  /** Stops it (SIGTERM); its outcome then reads as failed, the caller knows why. */
  readonly kill: () => void;
}

/**
 * Runs one command, its stdout and stderr collected. Anything but exit code 0 (a signal, a crash, a
 * command that cannot start) is a failure described in one line; never rejects.
 */
export function startChild({ command, args }: ChildCommand, options: { detached?: boolean } = {}): Child {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  // detached: its own process group, so a Ctrl-C at the terminal reaches only the parent, which
  // decides (a queue worker lets its running jobs finish on the first one). Named as its parent: the
  // run ends itself if its sweep or worker dies without stopping it (orphan.ts).
  const child = spawn(command, args, {
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached === true,
    env: { ...process.env, [SWEEP_PARENT_ENV]: String(process.pid) },
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const done = new Promise<ChildOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: ChildOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    child.on("error", (error) => {
      settle({
        ok: false,
        error: `could not run ${command}: ${error.message}`,
        stderr: "",
        seconds: seconds(),
      });
    });
    child.on("close", (code, signal) => {
      const err = Buffer.concat(stderr).toString("utf8");
      if (code === 0) {
        settle({ ok: true, stdout: Buffer.concat(stdout).toString("utf8"), seconds: seconds() });
        return;
      }
      const how = signal !== null ? `killed by ${signal}` : `exit code ${code}`;
      const line = lastLine(err);
      settle({ ok: false, error: line === undefined ? how : line, stderr: err, seconds: seconds() });
    });
  });
  return {
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    },
  };
}

/** The last non-empty line of `text` that is not a stack frame (DTSIM_DEBUG=1 ends with those). */
export function lastLine(text: string): string | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "");
  return lines.filter((line) => !/^\s+at /.test(line)).at(-1) ?? lines.at(-1);
}
