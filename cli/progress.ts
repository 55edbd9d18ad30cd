import { formatCount, formatSeconds } from "./format.ts";

/**
 * Whether `stream` is a terminal. The GPU commands run in a child whose stderr is a pipe (bin/dtsim.js
 * filters Dawn's warnings out of it); the parent says in DTSIM_STDERR_TTY that its own stderr is one.
 */
export function isTerminal(stream: NodeJS.WriteStream): boolean {
  if (stream.isTTY === true) return true;
  return stream === process.stderr && process.env.DTSIM_STDERR_TTY === "1";
}

export interface ProgressReporter {
  readonly update: (simTime: number, events: number) => void;
  readonly done: () => void;
}

/**
 * A one-line "simulated 1.2 s, 3,400,000 events" on stderr (`verb`: "ran" on the runtime) that rewrites itself, at most four times a
 * second, and only on a terminal: a pipe or a log file gets nothing, and stdout (the result, maybe
 * JSON) is never touched.
 */
export function progressReporter(stream: NodeJS.WriteStream, verb = "simulated"): ProgressReporter {
  if (!isTerminal(stream)) return { update: () => {}, done: () => {} };
  let last = 0;
  let shown = false;
  return {
    update: (simTime, events) => {
      const now = performance.now();
      if (now - last < 250) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[2K${verb} ${formatSeconds(simTime)}, ${formatCount(events)} events`);
    },
    // Erases the line; safe to call more than once.
    done: () => {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}
