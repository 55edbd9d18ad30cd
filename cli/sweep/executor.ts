import type { SweepRun } from "./grid.ts";

/** How one run ended, wherever it ran. */
export type RunOutcome =
  | {
      readonly ok: true;
      /** What `dtsim run --json` printed: the file DIR/runs/<id>.json gets. */
      readonly stdout: string;
      readonly seconds: number;
      /** Where it ran, for the progress line (a queue worker's name); none for a local process. */
      readonly where?: string;
    }
  | {
      readonly ok: false;
      /** One line, for runs.csv's error column. */
      readonly error: string;
      /** What DIR/runs/<id>.error.txt gets: how to rerun it by hand, and its stderr. */
      readonly detail: string;
      readonly seconds: number;
    };

/**
 * Runs a sweep's pending runs somewhere: child processes on this machine (local-pool.ts) or the
 * workers of a Redis queue (cli/queue/sweep-queue.ts). The sweep keeps the folder and the tables;
 * an executor only reports each run's end, in whatever order they come.
 */
export interface Executor {
  /**
   * Runs every one of `pending`, calling `finished` once for each that ends, and resolves when all
   * have, or soon after `stop` (runs cut short by it are not reported: they stay pending).
   */
  readonly run: (
    pending: ReadonlyArray<SweepRun>,
    finished: (run: SweepRun, outcome: RunOutcome) => void,
  ) => Promise<void>;
  /** Start nothing more; stop waiting. Safe to call more than once. */
  readonly stop: () => void;
  /** Said when the sweep was interrupted: what became of the runs not gathered. */
  readonly interruptedNote: string;
}
