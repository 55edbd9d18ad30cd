/**
 * A sweep's runs are child processes. When the sweep ends normally, or on SIGINT / SIGTERM, it stops
 * them itself; killed with SIGKILL it cannot, and its runs used to go on to the end (minutes, hours)
 * with no one to read their results. So a sweep names itself to its runs in SWEEP_PARENT_ENV, and a
 * run checks, before it starts and every so many events while it simulates, that its parent is still
 * that sweep: once the sweep is gone the run is re-parented (to init or a subreaper) and ends itself.
 */
export const SWEEP_PARENT_ENV = "DTSIM_SWEEP_PARENT";

/** The exit status of a run that ended because its sweep died (no one reads it; 1: it did not finish). */
const ORPHANED = 1;

/** How many events between two checks: a getppid() call per 10⁵ events costs nothing measurable. */
export const ORPHAN_CHECK_EVERY = 100_000;

/** Whether this process is a sweep's run whose sweep has died. */
export function isOrphanedRun(env: NodeJS.ProcessEnv = process.env): boolean {
  const parent = env[SWEEP_PARENT_ENV];
  return parent !== undefined && parent !== "" && String(process.ppid) !== parent;
}

/** Ends this process at once if it is a run whose sweep has died; otherwise does nothing. */
export function exitIfOrphaned(): void {
  if (isOrphanedRun()) process.exit(ORPHANED);
}
