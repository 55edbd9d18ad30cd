import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ChildCommand } from "../../cli/sweep/child.ts";
import type { SweepRun } from "../../cli/sweep/grid.ts";
import type { SweepOptions } from "../../cli/sweep/sweep.ts";
import {
  ALLREDUCE,
  csvObjects,
  fakeResult,
  recording,
  removeTempDirs,
  sweepInProcess,
  tempDir,
} from "./helpers.ts";

afterAll(removeTempDirs);

/**
 * The sweep in this process, its runs replaced by tiny `node -e` commands: failures of every kind,
 * resuming over damaged files, the refusals. (test/sweep/cli.test.ts runs real sweeps end to end.)
 */
const node = (script: string): ChildCommand => ({ command: process.execPath, args: ["-e", script] });

describe("a sweep's runs", () => {
  it("a crash or a non-zero exit fails that run only, with its stderr's last line", async () => {
    const out = join(tempDir(), "dir");
    const command = (run: SweepRun): ChildCommand => {
      if (run.index === 1) return node("process.kill(process.pid, 'SIGKILL')");
      if (run.index === 2)
        return node("console.error('first line'); console.error('boom: it broke'); process.exit(3)");
      if (run.index === 3) return node("process.stdout.write('{not json')");
      if (run.index === 4) return node("process.exit(9)");
      return fakeResult(run);
    };
    const { code, lines } = await sweepInProcess(
      { out, grids: ["cluster.workers=2,3,4"], seeds: "2" },
      { command },
    );
    expect(code).toBe(1);
    const rows = csvObjects(join(out, "runs.csv"));
    expect(rows.map((r) => [r.status, r.error])).toEqual([
      ["ok", ""],
      ["failed", "killed by SIGKILL"],
      ["failed", "boom: it broke"],
      ["failed", "the run printed no result JSON"],
      ["failed", "exit code 9"],
      ["ok", ""],
    ]);
    expect(rows[5]!.simTime).toBe("8");
    const files = readdirSync(join(out, "runs")).sort();
    expect(files.filter((f) => f.endsWith(".json"))).toEqual([
      "0-workers=2-seed1.json",
      "2-workers=4-seed2.json",
    ]);
    expect(files.filter((f) => f.endsWith(".error.txt"))).toHaveLength(4);
    const error = readFileSync(join(out, "runs", "1-workers=3-seed1.error.txt"), "utf8");
    expect(error).toContain("first line\nboom: it broke");
    const progress = lines.filter((l) => l.startsWith("["));
    expect(progress).toHaveLength(6);
    progress.forEach((line, k) => {
      expect(line).toMatch(
        new RegExp(
          `^\\[${k + 1}/6\\] cluster\\.workers=[234] seed=[12]: (\\d+\\.\\d s|failed after \\d+\\.\\d s: .+)$`,
        ),
      );
    });
    expect(
      progress.some((l) =>
        /^\[\d\/6\] cluster.workers=3 seed=1: failed after \d+\.\d s: boom: it broke$/.test(l),
      ),
    ).toBe(true);
    expect(lines.at(-1)).toMatch(/^4 of 6 runs failed/);
    const summary = csvObjects(join(out, "summary.csv"));
    expect(summary.map((r) => [r["cluster.workers"], r.ok, r.failed, r.simTime_mean])).toEqual([
      ["2", "1", "1", "2"],
      ["3", "0", "2", ""],
      ["4", "1", "1", "8"],
    ]);

    // Again: the finished runs are kept, the failed ones retried (and now succeed).
    const started: Array<string | number> = [];
    const again = await sweepInProcess(
      { out, grids: ["cluster.workers=2,3,4"], seeds: "2" },
      { command: recording(started, "index") },
    );
    expect(again.code).toBe(0);
    expect(started.sort()).toEqual([1, 2, 3, 4]);
    expect(again.lines[0]).toBe(`resuming: 2 of 6 runs already done in ${out}`);
    expect(csvObjects(join(out, "runs.csv")).map((r) => r.status)).toEqual(Array(6).fill("ok"));
    expect(readdirSync(join(out, "runs")).filter((f) => f.endsWith(".error.txt"))).toEqual([]);
  });

  it("resumes past a temporary file or a damaged result: neither counts as finished", async () => {
    const out = tempDir();
    const grids = ["cluster.workers=2,3"];
    expect((await sweepInProcess({ out, grids, seeds: "2" })).code).toBe(0);
    const runs = join(out, "runs");
    // What a sweep killed while writing could leave (it cannot leave the second, but a disk can).
    writeFileSync(join(runs, "0-workers=2-seed2.json"), '{"simTime": 2, "eve');
    writeFileSync(join(runs, ".1-workers=3-seed1.json.4242.tmp"), '{"simTime": 3, "events": 1');
    const started: Array<string | number> = [];
    const { code, lines } = await sweepInProcess({ out, grids, seeds: "2" }, { command: recording(started) });
    expect(code).toBe(0);
    expect(started).toEqual(["0-workers=2-seed2"]);
    expect(lines[0]).toBe(`resuming: 3 of 4 runs already done in ${out}`);
    expect(readdirSync(runs).sort()).toEqual([
      "0-workers=2-seed1.json",
      "0-workers=2-seed2.json",
      "1-workers=3-seed1.json",
      "1-workers=3-seed2.json",
    ]);
    expect(JSON.parse(readFileSync(join(runs, "0-workers=2-seed2.json"), "utf8")).simTime).toBe(4);

    // A run whose file was deleted is run again, and only it.
    started.length = 0;
    rmSync(join(runs, "1-workers=3-seed2.json"));
    await sweepInProcess({ out, grids, seeds: "2" }, { command: recording(started) });
    expect(started).toEqual(["1-workers=3-seed2"]);
  });

  it("writes the plot's Vega-Lite spec, and the SVG when a renderer answers", async () => {
    const out = tempDir();
    let seen: Record<string, unknown> | undefined;
    const { lines } = await sweepInProcess(
      { out, grids: ["cluster.workers=2,3", "schedule.kind=allreduce"], seeds: "2", metric: "simTime" },
      {
        renderSvg: async (spec) => {
          seen = spec;
          return "<svg></svg>";
        },
      },
    );
    const spec = JSON.parse(readFileSync(join(out, "scaling.vl.json"), "utf8"));
    expect(seen).toEqual(spec);
    expect(readFileSync(join(out, "scaling.svg"), "utf8")).toBe("<svg></svg>");
    expect(lines.at(-1)).toContain("scaling.svg");
    expect(spec.$schema).toMatch(/vega-lite\/v6/);
    expect(spec.encoding.x).toMatchObject({ field: "x", type: "quantitative", title: "cluster.workers" });
    expect(spec.encoding.color).toMatchObject({ field: "series", title: "schedule.kind" });
    expect(spec.data.values.map((v: Record<string, unknown>) => [v.x, v.series, v.mean])).toEqual([
      [2, "allreduce", 3],
      [3, "allreduce", 4.5],
    ]);
    expect(spec.layer.map((l: { mark: { type: string } }) => l.mark.type)).toEqual(["line", "errorband"]);

    const none = await sweepInProcess({ out: tempDir(), grids: ["cluster.workers=2,3"] });
    expect(none.lines).toContain("scaling.svg not written: the renderer drew nothing");
    const bad = await sweepInProcess({ out: tempDir(), grids: ["cluster.workers=2,3"], metric: "nope" });
    expect(bad.lines.some((l) => l.startsWith('no scaling plot: no run has the metric "nope"'))).toBe(true);
  });
});

describe("a sweep refuses, starting nothing", () => {
  const never = (): ChildCommand => {
    throw new Error("a run was started");
  };

  it.each([
    [{ grids: ["cluster.workers"] }, /^--grid: got "cluster.workers", expected PATH=V1,V2/],
    [{ grids: ["cluster.workers="] }, /^--grid: .*no empty value/],
    [
      { grids: ["cluster.wrkers=4,8"] },
      /^cluster.wrkers: got 4, expected no such field \(did you mean "workers"\?\)/,
    ],
    [{ grids: ["schedule.kind=allreduce,zero1", "cluster.workers=x"] }, /^cluster.workers: got "x"/],
    [{ file: "scenarios/nope.yaml" }, /^FILE: got "scenarios\/nope.yaml", expected a readable scenario file/],
    [{ seeds: "0" }, /^--seeds: got "0", expected a positive integer/],
    [{ parallel: "two" }, /^--parallel: got "two"/],
    [{ set: ["cluster.workers"] }, /^--set: got "cluster.workers"/],
  ])("%j", async (options, message) => {
    const out = join(tempDir(), "never");
    const { code, lines } = await sweepInProcess({ ...options, out }, { command: never });
    expect(code).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it("a folder that cannot be created, or that holds something else", async () => {
    const file = join(tempDir(), "file");
    writeFileSync(file, "x");
    const under = await sweepInProcess({ out: join(file, "dir") }, { command: never });
    expect([under.code, under.lines.length]).toEqual([2, 1]);
    expect(under.lines[0]).toMatch(/^--out: got ".*", expected a folder dtsim can create/);

    const busy = tempDir();
    writeFileSync(join(busy, "notes.txt"), "mine");
    const other = await sweepInProcess({ out: busy }, { command: never });
    expect(other.code).toBe(2);
    expect(other.lines).toEqual([
      `--out: got "${busy}", expected a new or empty folder, or one holding this same sweep (it holds 1 other file(s) and no sweep.json)`,
    ]);
    expect(readdirSync(busy)).toEqual(["notes.txt"]);
  });

  it("a folder holding another sweep, or one another sweep is working in", async () => {
    const out = tempDir();
    const file = join(tempDir(), "copy.yaml");
    copyFileSync(ALLREDUCE, file);
    expect((await sweepInProcess({ out, file, grids: ["cluster.workers=2,3"] })).code).toBe(0);
    const before = readFileSync(join(out, "sweep.json"), "utf8");
    const refusal = async (options: Partial<SweepOptions>, what: string) => {
      const { code, lines } = await sweepInProcess({ out, file, ...options }, { command: never });
      expect(code).toBe(2);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `--out: got "${out}", expected a new folder or one holding this same sweep (its sweep.json has ${what}`,
      );
    };
    await refusal({ grids: ["cluster.workers=2,4"] }, "other grids");
    await refusal({ grids: ["cluster.workers=2,3"], seeds: "2" }, "other seeds (--seeds 1)");
    await refusal({ grids: ["cluster.workers=2,3"], set: ["schedule.count=2"] }, "other --set assignments");
    await refusal({ grids: ["cluster.workers=2,3"], file: ALLREDUCE }, "another scenario file");
    // A comment changes nothing; a value does.
    writeFileSync(file, `# a new comment\n${readFileSync(ALLREDUCE, "utf8")}`);
    expect((await sweepInProcess({ out, file, grids: ["cluster.workers=2,3"] })).code).toBe(0);
    writeFileSync(file, readFileSync(ALLREDUCE, "utf8").replace("latency: 5 us", "latency: 6 us"));
    await refusal({ grids: ["cluster.workers=2,3"] }, "the scenario file as it was before an edit");
    copyFileSync(ALLREDUCE, file);
    expect(readFileSync(join(out, "sweep.json"), "utf8")).toBe(before);

    // A live process's lock (our parent's pid here) keeps a second sweep out; a dead one's does not.
    writeFileSync(join(out, ".lock"), `${process.ppid}\n`);
    const locked = await sweepInProcess({ out, file, grids: ["cluster.workers=2,3"] }, { command: never });
    expect(locked.lines).toEqual([
      `--out: got "${out}", expected a folder no other sweep is working in (pid ${process.ppid} is)`,
    ]);
    const dead = spawnSync(process.execPath, [
      "-e",
      "process.stdout.write(String(process.pid))",
    ]).stdout.toString();
    writeFileSync(join(out, ".lock"), `${dead}\n`);
    const taken = await sweepInProcess({ out, file, grids: ["cluster.workers=2,3"] });
    expect(taken.code).toBe(0);
    expect(existsSync(join(out, ".lock"))).toBe(false);
  });
});
