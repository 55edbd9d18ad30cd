import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUE_NAME } from "../../cli/queue/jobs.ts";
import { runSweep } from "../../cli/sweep/sweep.ts";
import { repoRoot } from "../cli/dtsim.ts";
import { ALLREDUCE, removeTempDirs, tempDir, withoutColumns } from "../sweep/helpers.ts";
import { redisMissing, startRedis, type TestRedis } from "./redis.ts";

/**
 * A sweep on a BullMQ queue, across two `dtsim worker` processes, one of them killed (SIGKILL, its
 * run too, as if its machine died) while it holds a run: the run's lock lapses, the other worker's
 * stalled-job check takes it back, and the gathered rows equal a local sweep's of the same grid.
 * Redis is the Debian package's redis-server, started here on a free loopback port.
 */
const missing = redisMissing();
const options = (out: string, queue?: string) => ({
  file: ALLREDUCE,
  grids: ["cluster.workers=4,8"],
  set: [],
  seeds: "2",
  parallel: queue === undefined ? "2" : undefined,
  metric: undefined,
  out,
  queue,
});

describe.skipIf(missing !== undefined)(
  `dtsim sweep --queue${missing === undefined ? "" : ` (skipped: ${missing})`}`,
  () => {
    let redis: TestRedis;
    const workers: ChildProcess[] = [];
    const notes: string[] = [];
    const local = join(tempDir(), "local");
    const queued = join(tempDir(), "queued");
    let killedJob: { id: string; by: string } | undefined;
    let survivor = "";
    let code: number | undefined;

    beforeAll(async () => {
      redis = await startRedis();
      const url = redis.url(3);
      const startWorker = () => {
        const worker = spawn(
          process.execPath,
          [join(repoRoot, "bin/dtsim.js"), "worker", "--queue", url, "--stall-timeout", "2"],
          { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] },
        );
        worker.stderr?.setEncoding("utf8").on("data", (text: string) => notes.push(text));
        workers.push(worker);
        return worker;
      };
      const victim = startWorker();
      const other = startWorker();
      survivor = `${hostname()}:${other.pid}`;
      const victimName = `${hostname()}:${victim.pid}`;
      const sweep = runSweep(options(queued, url), {
        note: (line) => notes.push(line),
        handleSignals: false,
      });
      // Watch the queue until the victim holds a run, then kill it and the run it started.
      const queue = new Queue(QUEUE_NAME, { connection: { host: "127.0.0.1", port: redis.port, db: 3 } });
      try {
        while (killedJob === undefined) {
          const held = (await queue.getActive()).find((job) => job.processedBy === victimName);
          if (held?.id !== undefined) {
            for (const pid of childrenOf(victim.pid!)) process.kill(pid, "SIGKILL");
            victim.kill("SIGKILL");
            killedJob = { id: held.id, by: victimName };
          } else await new Promise((resolve) => setTimeout(resolve, 100));
        }
        code = await sweep;
      } finally {
        await queue.close();
      }
      // The baseline, after the queued sweep (two cores: they would only slow each other).
      const localCode = await runSweep(options(local), { note: () => {}, handleSignals: false });
      expect(localCode).toBe(0);
    }, 180_000);

    afterAll(async () => {
      for (const worker of workers) if (worker.exitCode === null) worker.kill("SIGKILL");
      await redis?.stop();
      removeTempDirs();
    });

    it("finishes every run, the killed worker's included, on the surviving worker", async () => {
      expect(code, notes.join("\n")).toBe(0);
      const queue = new Queue(QUEUE_NAME, { connection: { host: "127.0.0.1", port: redis.port, db: 3 } });
      try {
        const job = await queue.getJob(killedJob!.id);
        expect(await job!.getState()).toBe("completed");
        expect(job!.processedBy).toBe(survivor);
        expect(job!.stalledCounter).toBeGreaterThanOrEqual(1);
        const counts = await queue.getJobCounts("completed", "failed", "waiting", "active");
        expect(counts).toEqual({ completed: 4, failed: 0, waiting: 0, active: 0 });
      } finally {
        await queue.close();
      }
    });

    it("gathers the same rows as a local sweep of the same grid (wall time apart)", () => {
      for (const table of ["runs.csv", "summary.csv"]) {
        const drop =
          table === "runs.csv" ? ["wallTime"] : ["wallTime_mean", "wallTime_ci95_low", "wallTime_ci95_high"];
        expect(withoutColumns(join(queued, table), drop)).toBe(withoutColumns(join(local, table), drop));
      }
      expect(readFileSync(join(queued, "scaling.vl.json"), "utf8")).toBe(
        readFileSync(join(local, "scaling.vl.json"), "utf8"),
      );
    });

    it("resumes from the queue without running anything again: a fresh folder gathers the finished jobs", async () => {
      for (const worker of workers) worker.kill("SIGTERM");
      const again = join(tempDir(), "again");
      const lines: string[] = [];
      expect(
        await runSweep(options(again, redis.url(3)), { note: (l) => lines.push(l), handleSignals: false }),
      ).toBe(0);
      expect(withoutColumns(join(again, "runs.csv"), [])).toBe(withoutColumns(join(queued, "runs.csv"), []));
      const queue = new Queue(QUEUE_NAME, { connection: { host: "127.0.0.1", port: redis.port, db: 3 } });
      try {
        expect(await queue.getJobCounts("completed", "waiting")).toEqual({ completed: 4, waiting: 0 });
      } finally {
        await queue.close();
      }
    });
  },
);

/** The processes whose parent is `pid` (a worker's runs), from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc").flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      return ppid === pid ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}
