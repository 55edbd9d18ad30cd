import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dtsim, repoRoot } from "../cli/dtsim.ts";
import { ALLREDUCE, csvObjects, removeTempDirs, tempDir, withoutColumns } from "./helpers.ts";

afterAll(removeTempDirs);

/**
 * `dtsim sweep` end to end: real runs of scenarios/core/allreduce.yaml, each its own `dtsim run`
 * process (≈ 1 s each, two at a time). A 2 × 2 grid × 2 seeds, once uninterrupted and once killed
 * halfway then resumed: the two must agree.
 */
const SWEEP = [
  "sweep",
  ALLREDUCE,
  "--grid",
  "cluster.workers=4,8",
  "--grid",
  "schedule.bytes=1 MB,2 MB",
  "--set",
  "schedule.count=2",
  "--seeds",
  "2",
  "--parallel",
  "2",
];
const IDS = [
  "0-workers=4-bytes=1_MB-seed1",
  "0-workers=4-bytes=1_MB-seed2",
  "1-workers=4-bytes=2_MB-seed1",
  "1-workers=4-bytes=2_MB-seed2",
  "2-workers=8-bytes=1_MB-seed1",
  "2-workers=8-bytes=1_MB-seed2",
  "3-workers=8-bytes=2_MB-seed1",
  "3-workers=8-bytes=2_MB-seed2",
];
const finishedRuns = (dir: string) =>
  existsSync(join(dir, "runs")) ? readdirSync(join(dir, "runs")).filter((f) => /^[^.].*\.json$/.test(f)) : [];

describe("dtsim sweep (end to end)", () => {
  const whole = join(tempDir(), "whole");
  let outcome: Awaited<ReturnType<typeof dtsim>>;

  beforeAll(async () => {
    outcome = await dtsim([...SWEEP, "--out", whole]);
  }, 120_000);

  it("runs the cross product times the seeds and writes the folder", () => {
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe("");
    const lines = outcome.stderr.trimEnd().split("\n");
    const progress = lines.filter((l) => l.startsWith("["));
    expect(progress).toHaveLength(8);
    progress.forEach((line, i) => {
      expect(line).toMatch(
        new RegExp(
          `^\\[${i + 1}/8\\] cluster\\.workers=[48] schedule\\.bytes=[12] MB seed=[12]: \\d+\\.\\d s$`,
        ),
      );
    });
    expect(lines.at(-1)).toMatch(/^8 runs done: .*runs\.csv, .*summary\.csv, .*scaling\.vl\.json/);

    expect(finishedRuns(whole).sort()).toEqual(IDS.map((id) => `${id}.json`));
    const result = JSON.parse(readFileSync(join(whole, "runs", `${IDS[7]}.json`), "utf8"));
    expect(result.seed).toBe(2);
    expect(result.workers).toHaveLength(8);

    const definition = JSON.parse(readFileSync(join(whole, "sweep.json"), "utf8"));
    expect(definition).toMatchObject({
      file: join(repoRoot, ALLREDUCE),
      grids: [
        { path: "cluster.workers", values: ["4", "8"] },
        { path: "schedule.bytes", values: ["1 MB", "2 MB"] },
      ],
      seeds: 2,
      baseSeed: 1,
      sets: ["schedule.count=2"],
    });

    const runs = csvObjects(join(whole, "runs.csv"));
    expect(runs.map((r) => [r.run, r["cluster.workers"], r["schedule.bytes"], r.seed, r.status])).toEqual(
      IDS.map((id, i) => [id, i < 4 ? "4" : "8", i % 4 < 2 ? "1 MB" : "2 MB", String(1 + (i % 2)), "ok"]),
    );
    // Two ring all-reduces of B bytes among n workers: each sends 2 · 2(n−1)/n · B.
    for (const row of runs) {
      const n = Number(row["cluster.workers"]);
      const bytes = Number.parseInt(row["schedule.bytes"]!, 10) * 1e6;
      expect(Number(row.bytesSent)).toBeCloseTo(n * 2 * ((2 * (n - 1)) / n) * bytes, 0);
      expect(Number(row.collectives)).toBe(2);
      expect(Number(row.simTime)).toBeGreaterThan(0);
      expect(Number(row.wallTime)).toBeGreaterThan(0);
    }

    const summary = csvObjects(join(whole, "summary.csv"));
    expect(summary.map((r) => [r["cluster.workers"], r["schedule.bytes"], r.ok, r.failed])).toEqual([
      ["4", "1 MB", "2", "0"],
      ["4", "2 MB", "2", "0"],
      ["8", "1 MB", "2", "0"],
      ["8", "2 MB", "2", "0"],
    ]);
    summary.forEach((point, p) => {
      // Nothing is random in this scenario: both seeds agree, the interval has width zero.
      const [a, b] = [runs[2 * p]!, runs[2 * p + 1]!];
      expect(point.simTime_mean).toBe(String((Number(a.simTime) + Number(b.simTime)) / 2));
      expect(point.simTime_ci95_low).toBe(point.simTime_mean);
      expect(point.simTime_ci95_high).toBe(point.simTime_mean);
    });

    const spec = JSON.parse(readFileSync(join(whole, "scaling.vl.json"), "utf8"));
    expect(spec.encoding.x.title).toBe("cluster.workers");
    expect(spec.data.values).toHaveLength(4);
  });

  it("killed halfway and resumed, gives the same results as uninterrupted", async () => {
    const resumed = join(tempDir(), "resumed");
    // Its own process group, so that the sweep and its runs die together, as with Ctrl-C or a crash.
    const child = spawn(process.execPath, [join(repoRoot, "bin/dtsim.js"), ...SWEEP, "--out", resumed], {
      cwd: repoRoot,
      detached: true,
      stdio: "ignore",
    });
    const closed = new Promise((resolve) => child.on("close", resolve));
    const deadline = Date.now() + 30_000;
    while (finishedRuns(resumed).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    process.kill(-child.pid!, "SIGKILL");
    await closed;
    const before = finishedRuns(resumed);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(8);
    expect(existsSync(join(resumed, ".lock"))).toBe(true); // left by the killed sweep
    // What a sweep killed as it wrote a result leaves behind: a partial temporary file.
    const missing = IDS.find((id) => !before.includes(`${id}.json`))!;
    writeFileSync(join(resumed, "runs", `.${missing}.json.99999.tmp`), '{"scenario": "allreduce", "simTi');

    const again = await dtsim([...SWEEP, "--out", resumed]);
    expect(again.status).toBe(0);
    const lines = again.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(`resuming: ${before.length} of 8 runs already done in ${resumed}`);
    expect(lines.filter((l) => l.startsWith("["))).toHaveLength(8 - before.length);
    expect(lines.find((l) => l.startsWith("["))).toMatch(new RegExp(`^\\[${before.length + 1}/8\\] `));
    expect(readdirSync(join(resumed, "runs")).sort()).toEqual(IDS.map((id) => `${id}.json`));
    expect(existsSync(join(resumed, ".lock"))).toBe(false);

    // Byte for byte, but for the wall time.
    expect(withoutColumns(join(resumed, "runs.csv"), ["wallTime"])).toBe(
      withoutColumns(join(whole, "runs.csv"), ["wallTime"]),
    );
    expect(readFileSync(join(resumed, "summary.csv"), "utf8")).toBe(
      readFileSync(join(whole, "summary.csv"), "utf8"),
    );
    expect(readFileSync(join(resumed, "scaling.vl.json"), "utf8")).toBe(
      readFileSync(join(whole, "scaling.vl.json"), "utf8"),
    );
    for (const id of IDS) {
      const read = (dir: string) => {
        const {
          wallTime: _w,
          eventsPerSecond: _e,
          ...rest
        } = JSON.parse(readFileSync(join(dir, "runs", `${id}.json`), "utf8"));
        return rest;
      };
      expect(read(resumed)).toEqual(read(whole));
    }
  });

  it("refuses the same folder for another sweep, in one line", async () => {
    const other = await dtsim([
      ...SWEEP.map((a) => (a === "cluster.workers=4,8" ? "cluster.workers=4,16" : a)),
      "--out",
      whole,
    ]);
    expect(other.status).toBe(2);
    expect(other.stderr).toBe(
      `--out: got "${whole}", expected a new folder or one holding this same sweep (its sweep.json has other grids; use another --out, or delete the folder to start over)\n`,
    );
  });
});

describe.concurrent("dtsim sweep: failures", () => {
  it("a run invalid at run time fails alone; the sweep finishes the rest and exits 1", async () => {
    const out = tempDir();
    const outcome = await dtsim([
      "sweep",
      ALLREDUCE,
      "--grid",
      "cluster.workers=4,0",
      "--parallel",
      "2",
      "--out",
      out,
    ]);
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toMatch(
      /\] cluster\.workers=0 seed=1: failed after \d+\.\d s: cluster\.workers: got 0, expected/,
    );
    expect(outcome.stderr.trimEnd().split("\n").at(-1)).toMatch(/^1 of 2 runs failed/);
    const rows = csvObjects(join(out, "runs.csv"));
    expect(rows.map((r) => [r["cluster.workers"], r.status])).toEqual([
      ["4", "ok"],
      ["0", "failed"],
    ]);
    expect(rows[1]!.error).toMatch(/^cluster\.workers: got 0, expected/);
    expect(readFileSync(join(out, "runs", "1-workers=0-seed1.error.txt"), "utf8")).toMatch(
      /bin\/dtsim\.js run .*allreduce\.yaml --set cluster\.workers=0 --seed 1 --json\n\ncluster\.workers: got 0/,
    );
  });

  // Each refusal in detail: runner.test.ts. Here: that they reach the command line as one line, exit 2.
  it("an unknown grid path, an unreadable file, a folder that cannot be created: one line, exit 2", async () => {
    const never = join(tempDir(), "never");
    const [grid, file, dir] = await Promise.all([
      dtsim(["sweep", ALLREDUCE, "--grid", "cluster.nodes=4,8", "--out", never]),
      dtsim(["sweep", "nope.yaml", "--out", never]),
      dtsim(["sweep", ALLREDUCE, "--out", join(repoRoot, "package.json", "x")]),
    ]);
    expect([grid.status, grid.stderr]).toEqual([
      2,
      expect.stringMatching(/^cluster\.nodes: got 4, expected no such field \(.*\)\n$/),
    ]);
    expect(existsSync(never)).toBe(false);
    expect([file.status, file.stderr]).toEqual([
      2,
      `FILE: got "nope.yaml", expected a readable scenario file (no such file)\n`,
    ]);
    expect(dir.status).toBe(2);
    expect(dir.stderr).toMatch(
      /^--out: got ".*package\.json\/x", expected a folder dtsim can create \(.*\)\n$/,
    );
  });
});
