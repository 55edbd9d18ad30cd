import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import packageJson from "../../package.json" with { type: "json" };
import { ExitCode } from "../exit-codes.ts";
import { positiveInteger } from "../positive-integer.ts";
import { type Child, startChild } from "../sweep/child.ts";
import { reportError } from "../user-errors.ts";
import { connectionOptions, parseQueueAddress, probeQueue } from "./connection.ts";
import { QUEUE_NAME, type RunJobResult, readRunJob } from "./jobs.ts";

export interface WorkerOptions {
  /** `--queue` as typed. */
  readonly queue: string;
  /** Jobs at a time, as typed (default 1). */
  readonly concurrency: string | undefined;
  /** Seconds before a silent worker's job is given to another, as typed (default 30). */
  readonly stallSeconds: string | undefined;
}

export interface WorkerIo {
  readonly note: (line: string) => void;
  /** Resolves when the worker should stop (default: the first SIGINT or SIGTERM). */
  readonly stopSignal?: Promise<void>;
  /** Ends the process at once after a second signal (default process.exit). */
  readonly abandon?: (code: number) => void;
}

const DTSIM = fileURLToPath(new URL("../../bin/dtsim.js", import.meta.url));

/**
 * `dtsim worker`: takes run jobs from the queue and runs each as `dtsim run <its scenario> --seed N
 * --json` in a child process (the event loop stays free to renew the job's lock, and a crash in a
 * run cannot take the worker down). Runs until SIGINT or SIGTERM, then finishes its running jobs and
 * exits 0; a second signal abandons them (they time out and another worker takes them). A worker
 * killed outright loses nothing either: its jobs' locks lapse after the stall timeout and BullMQ's
 * stalled-job check hands them to another worker.
 */
export async function runWorker(options: WorkerOptions, io: WorkerIo = defaultIo()): Promise<ExitCode> {
  let worker: Worker | undefined;
  const children = new Set<Child>();
  try {
    const address = parseQueueAddress(options.queue);
    const concurrency = positiveInteger("--concurrency", options.concurrency, 1);
    const stallSeconds = positiveInteger("--stall-timeout", options.stallSeconds, 30);
    const warning = await probeQueue(address);
    if (warning !== undefined) io.note(warning);
    const name = `${hostname()}:${process.pid}`;
    const lockDuration = stallSeconds * 1000;
    worker = new Worker(QUEUE_NAME, (job) => runJob(job, name, children), {
      connection: connectionOptions(address),
      concurrency,
      name,
      lockDuration,
      stalledInterval: lockDuration,
      // A job whose worker died is retried, up to this many deaths (a run that kills every worker
      // it lands on must end as failed, not circle forever).
      maxStalledCount: 3,
    });
    worker.on("error", (error) => io.note(`worker: ${error.message.split("\n")[0]}`));
    worker.on("completed", (job) => io.note(`done ${describe(job)}`));
    worker.on("failed", (job, error) => {
      if (job !== undefined) io.note(`failed ${describe(job)}: ${error.message}`);
    });
    await worker.waitUntilReady();
    io.note(`worker ${name}: taking runs from ${address.shown}, ${concurrency} at a time`);
    await (io.stopSignal ?? firstSignal());
    io.note("stopping: finishing the running jobs (a second Ctrl-C abandons them to other workers)");
    // A second signal: stop the runs and leave before their failure reaches Redis, so that their jobs
    // are not failed but stalled, and retried by another worker once their lock lapses.
    const abandon = firstSignal().then(() => {
      for (const child of children) child.kill();
      (io.abandon ?? ((code) => process.exit(code)))(ExitCode.runFailed);
    });
    await Promise.race([worker.close(), abandon]);
    return ExitCode.ok;
  } catch (error) {
    const report = reportError(error, process.env.DTSIM_DEBUG === "1");
    io.note(report.text.trimEnd());
    return report.code;
  } finally {
    await worker?.close(true).catch(() => {});
  }
}

/** One job: the scenario written to a temporary `<name>.yaml`, run by a fresh `dtsim run`. */
async function runJob(job: Job, worker: string, children: Set<Child>): Promise<RunJobResult> {
  const data = readRunJob(job.data);
  if (data === undefined) throw new UnrecoverableError("not a dtsim run job (its data has another shape)");
  if (data.dtsim !== packageJson.version) {
    throw new UnrecoverableError(
      `enqueued by dtsim ${data.dtsim}, and this worker runs ${packageJson.version}`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "dtsim-worker-"));
  try {
    const file = join(dir, `${data.name}.yaml`);
    writeFileSync(file, data.scenario);
    const child = startChild(
      { command: process.execPath, args: [DTSIM, "run", file, "--seed", String(data.seed), "--json"] },
      { detached: true },
    );
    children.add(child);
    const outcome = await child.done.finally(() => children.delete(child));
    if (outcome.ok) return { json: outcome.stdout, worker };
    // The run's stderr (bounded) goes to the job's log, for the sweep's runs/<id>.error.txt.
    await job.log(outcome.stderr.slice(-16_000));
    throw new UnrecoverableError(outcome.error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function describe(job: Job): string {
  const data = readRunJob(job.data);
  return data === undefined ? `job ${job.id}` : `${data.name} seed ${data.seed} (job ${job.id})`;
}

function firstSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}

function defaultIo(): WorkerIo {
  return { note: (line) => process.stderr.write(`${line}\n`) };
}
