import { basename, extname } from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { applySet } from "../../sim/scenario/overrides.ts";
import { loadScenarioFile } from "../load.ts";
import type { Executor, RunOutcome } from "../sweep/executor.ts";
import type { SweepRun } from "../sweep/grid.ts";
import { commandLine } from "../sweep/local-pool.ts";
import type { SweepDefinition } from "../sweep/store.ts";
import { connectionOptions, type QueueAddress } from "./connection.ts";
import { QUEUE_NAME, readRunJobResult, runJob, runJobId } from "./jobs.ts";

/** Finished and failed jobs stay this long in Redis: a sweep resumed within it gathers them. */
const KEEP_SECONDS = 7 * 24 * 3600;
/** How often the jobs still awaited are looked up, in case an event was missed (a reconnection). */
const RECONCILE_MS = 5000;
/** After this long with no run ending, a line says where the queue stands. */
const QUIET_MS = 30_000;
/** Jobs per Redis round of adds and look-ups. */
const CHUNK = 500;

/**
 * Runs a sweep on the workers of a BullMQ queue: each pending run becomes a job whose id is a hash of
 * what it runs (so a resumed sweep finds its jobs, done or not, and adds none twice), and each job's
 * end comes back through the queue's events (with a periodic look-up as a safety net). `stop` only
 * stops waiting: the jobs stay queued, and the same command later gathers them.
 */
export function queueExecutor(
  address: QueueAddress,
  definition: SweepDefinition,
  note: (line: string) => void,
): Executor {
  let stopping = false;
  let wake = () => {};
  const stop = () => {
    stopping = true;
    wake();
  };
  const run: Executor["run"] = async (pending, finished) => {
    if (pending.length === 0 || stopping) return;
    const connection = connectionOptions(address);
    const queue = new Queue(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    const seen = new Set<string>();
    const onError = (error: Error) => {
      const line = error.message.split("\n")[0]!;
      if (!seen.has(line)) note(`queue ${address.shown}: ${line}`);
      seen.add(line);
    };
    queue.on("error", onError);
    events.on("error", onError);
    try {
      // Listening before adding: no job can end unheard between the two.
      await events.waitUntilReady();
      const jobs = jobsOf(pending, definition);
      const awaited = new Set(jobs.keys());
      let lastNews = Date.now();
      let fatal: { error: unknown } | undefined;
      const allDone = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const settle = async (id: string) => {
        if (!awaited.has(id)) return;
        const outcome = await outcomeOf(queue, id, definition, jobs.get(id)!);
        if (outcome === undefined || !awaited.delete(id)) return;
        lastNews = Date.now();
        try {
          for (const run of jobs.get(id)!.runs) finished(run, outcome);
        } catch (error) {
          // The sweep could not keep a result (its folder, say): stop, and fail as the local pool does.
          fatal ??= { error };
          stop();
        }
        if (awaited.size === 0) wake();
      };
      const settleAll = async (ids: ReadonlyArray<string>) => {
        for (let i = 0; i < ids.length && !stopping; i += CHUNK) {
          await Promise.all(ids.slice(i, i + CHUNK).map(settle));
        }
      };
      events.on("completed", ({ jobId }) => void settle(jobId).catch(onError));
      events.on("failed", ({ jobId }) => void settle(jobId).catch(onError));

      const ids = [...jobs.keys()];
      const retried = await retryFailed(queue, ids);
      if (retried > 0) note(`retrying ${retried} run(s) that failed in an earlier attempt`);
      for (let i = 0; i < ids.length && !stopping; i += CHUNK) {
        await queue.addBulk(
          ids.slice(i, i + CHUNK).map((jobId) => ({
            name: "run",
            data: jobs.get(jobId)!.job,
            opts: { jobId, removeOnComplete: { age: KEEP_SECONDS }, removeOnFail: { age: KEEP_SECONDS } },
          })),
        );
      }
      note(
        `${ids.length} run(s) on the queue ${QUEUE_NAME} at ${address.shown}; start workers with: dtsim worker --queue URL`,
      );
      // Jobs that had already ended (a resumed sweep, or another sweep's identical runs).
      await settleAll(ids);
      let reconciling = false;
      const timer = setInterval(() => {
        // One look-up round at a time: with many jobs a round may outlast the interval.
        if (!reconciling) {
          reconciling = true;
          void settleAll([...awaited])
            .catch(onError)
            .finally(() => {
              reconciling = false;
            });
        }
        if (Date.now() - lastNews >= QUIET_MS && !stopping) {
          lastNews = Date.now();
          void describeQueue(queue, awaited.size).then(note, onError);
        }
      }, RECONCILE_MS);
      try {
        if (awaited.size > 0 && !stopping) await allDone;
      } finally {
        clearInterval(timer);
      }
      if (fatal !== undefined) throw fatal.error;
    } finally {
      await events.close().catch(() => {});
      await queue.close().catch(() => {});
    }
  };
  return {
    run,
    stop,
    interruptedNote: "the other runs stay on the queue for the workers; the same command again gathers them",
  };
}

interface QueuedRun {
  readonly job: ReturnType<typeof runJob>;
  /** The sweep's runs this job stands for (one, unless two runs have the same effective scenario). */
  readonly runs: SweepRun[];
}

/** Each pending run's job, by id: the file as read, the sweep's --set and the point's values applied. */
function jobsOf(pending: ReadonlyArray<SweepRun>, definition: SweepDefinition): Map<string, QueuedRun> {
  const file = loadScenarioFile(definition.file);
  const name = basename(definition.file, extname(definition.file));
  const jobs = new Map<string, QueuedRun>();
  for (const run of pending) {
    let raw = file;
    for (const assignment of [...definition.sets, ...run.point.assignments]) {
      if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) raw = applySet(raw, assignment);
    }
    const job = runJob(name, raw, run.seed);
    const id = runJobId(job);
    const queued = jobs.get(id);
    if (queued === undefined) jobs.set(id, { job, runs: [run] });
    else queued.runs.push(run);
  }
  return jobs;
}

/** Puts back on the queue the jobs found failed (as a local sweep run again retries its failed runs). */
async function retryFailed(queue: Queue, ids: ReadonlyArray<string>): Promise<number> {
  let retried = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const states = await Promise.all(ids.slice(i, i + CHUNK).map((id) => queue.getJobState(id)));
    for (const [k, state] of states.entries()) {
      if (state !== "failed") continue;
      const job = await queue.getJob(ids[i + k]!);
      await job?.retry("failed");
      retried++;
    }
  }
  return retried;
}

/** The job's outcome once it has ended; undefined while it is still queued or running. */
async function outcomeOf(
  queue: Queue,
  id: string,
  definition: SweepDefinition,
  queued: QueuedRun,
): Promise<RunOutcome | undefined> {
  // The state first: one small call for each job still awaited, the job itself only once it has ended.
  const state = await queue.getJobState(id);
  if (state !== "completed" && state !== "failed") return undefined;
  const job = await queue.getJob(id);
  if (job === undefined) return undefined;
  const seconds =
    job.finishedOn !== undefined && job.processedOn !== undefined
      ? (job.finishedOn - job.processedOn) / 1000
      : 0;
  if (state === "completed") {
    const result = readRunJobResult(job.returnvalue);
    if (result !== undefined) return { ok: true, stdout: result.json, seconds, where: result.worker };
    return {
      ok: false,
      error: "the worker returned no result",
      detail: `job ${id}: no result in its return value\n`,
      seconds,
    };
  }
  const error = (job.failedReason ?? "failed").split("\n")[0]!;
  const { logs } = await queue.getJobLogs(id);
  const sets = [...definition.sets, ...queued.runs[0]!.point.assignments].flatMap((a) => ["--set", a]);
  const seed = String(queued.job.seed);
  const rerun = commandLine({ command: "dtsim", args: ["run", definition.file, ...sets, "--seed", seed] });
  const where = job.processedBy === undefined ? "" : ` on ${job.processedBy}`;
  return {
    ok: false,
    error,
    detail: `${rerun}\n\njob ${id} failed${where}: ${error}\n\n${logs.join("\n")}`,
    seconds,
  };
}

async function describeQueue(queue: Queue, left: number): Promise<string> {
  const counts = await queue.getJobCounts("waiting", "active", "delayed");
  let workers = "";
  try {
    workers = `, ${await queue.getWorkersCount()} worker(s) connected`;
  } catch {
    // CLIENT LIST may be denied to this user: the count is a convenience.
  }
  return `waiting for ${left} run(s): ${counts.waiting ?? 0} queued, ${counts.active ?? 0} running on the queue${workers}`;
}
