import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSweep } from "../../cli/sweep/sweep.ts";
import { repoRoot } from "../cli/dtsim.ts";
import { ALLREDUCE, csvObjects, removeTempDirs, tempDir } from "../sweep/helpers.ts";
import { redisMissing, startRedis, type TestRedis } from "./redis.ts";

/**
 * A run that fails on a queue worker fails alone, as in a local sweep: the same error in runs.csv, its
 * stderr in runs/<id>.error.txt, exit 1; and the same command again puts it back on the queue.
 */
const missing = redisMissing();

describe.skipIf(missing !== undefined)(
  `a failing run on the queue${missing === undefined ? "" : ` (skipped: ${missing})`}`,
  () => {
    let redis: TestRedis;
    let worker: ChildProcess;
    const notes: string[] = [];
    const options = (out: string) => ({
      file: ALLREDUCE,
      grids: ["cluster.workers=4,0"],
      set: [],
      seeds: undefined,
      parallel: undefined,
      metric: undefined,
      out,
      queue: redis.url(5),
    });

    beforeAll(async () => {
      redis = await startRedis();
      worker = spawn(process.execPath, [join(repoRoot, "bin/dtsim.js"), "worker", "--queue", redis.url(5)], {
        cwd: repoRoot,
        stdio: "ignore",
      });
    });
    afterAll(async () => {
      if (worker?.exitCode === null) worker.kill("SIGKILL");
      await redis?.stop();
      removeTempDirs();
    });

    it("is recorded as failed with the run's own error line, the others done; the next attempt retries it", async () => {
      const out = join(tempDir(), "sweep");
      const io = { note: (line: string) => notes.push(line), handleSignals: false };
      expect(await runSweep(options(out), io)).toBe(1);
      const rows = csvObjects(join(out, "runs.csv"));
      expect(rows.map((r) => [r["cluster.workers"], r.status])).toEqual([
        ["4", "ok"],
        ["0", "failed"],
      ]);
      expect(rows[1]!.error).toMatch(/^cluster\.workers: got 0, expected/);
      const detail = readFileSync(join(out, "runs", "1-workers=0-seed1.error.txt"), "utf8");
      expect(detail).toMatch(/^dtsim run .*allreduce\.yaml --set cluster\.workers=0 --seed 1\n/);
      expect(detail).toMatch(/failed on \S+:\d+: cluster\.workers: got 0/);
      expect(
        notes.some((line) =>
          /\] cluster\.workers=0 seed=1: failed after .*: cluster\.workers: got 0/.test(line),
        ),
      ).toBe(true);

      notes.length = 0;
      expect(await runSweep(options(out), io)).toBe(1);
      expect(notes).toContain(`resuming: 1 of 2 runs already done in ${out}`);
      expect(notes).toContain("retrying 1 run(s) that failed in an earlier attempt");
    }, 120_000);
  },
);
