import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../cli/dtsim.ts";
import { removeTempDirs, tempDir, withoutColumns } from "./helpers.ts";

afterAll(removeTempDirs);

/**
 * Issue #15: a sweep killed with SIGKILL left its runs running (its signal handlers never ran), and a
 * resumed sweep had to cope with whatever the dead one left. Real `dtsim sweep` processes here, killed
 * by pid alone (not their process group, which would take the runs down with them and hide the bug).
 */

const GOSSIP = "scenarios/core/gossip-timing.yaml";

function startSweep(args: ReadonlyArray<string>): { child: ChildProcess; closed: Promise<number | null> } {
  const child = spawn(process.execPath, [join(repoRoot, "bin/dtsim.js"), "sweep", ...args], {
    cwd: repoRoot,
    env: { ...process.env, DTSIM_DEBUG: "" },
    stdio: "ignore",
  });
  const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, closed };
}

/** The pids whose parent is `pid`, read from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which is in parentheses and may hold spaces: state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      return ppid === pid ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

const isRunning = (pid: number) => {
  try {
    // A zombie still answers kill(0); its state letter says it is gone.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** SIGKILL, unless the process has already exited (between the check and the kill). */
function killIfAlive(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch (error) {
    if ((error as { code?: string }).code !== "ESRCH") throw error;
  }
}

describe("a sweep killed with SIGKILL", () => {
  it("takes its runs with it", { timeout: 120_000 }, async () => {
    const out = join(tempDir(), "killed");
    // One run of 16 workers gossiping for 10⁵ simulated seconds: minutes of work, if left alone.
    const { child, closed } = startSweep([
      GOSSIP,
      "--set",
      "cluster.workers=16",
      "--set",
      "stop.time=100000 s",
      "--out",
      out,
    ]);
    const sweepPid = child.pid!;
    expect(await waitFor(() => childrenOf(sweepPid).length > 0, 60_000)).toBe(true);
    const runs = childrenOf(sweepPid);
    // Let the run load and start simulating before its sweep dies.
    await sleep(4000);
    expect(runs.every(isRunning)).toBe(true);
    process.kill(sweepPid, "SIGKILL");
    await closed;
    const gone = await waitFor(() => !runs.some(isRunning), 15_000);
    for (const pid of runs.filter(isRunning)) process.kill(pid, "SIGKILL");
    expect(gone).toBe(true);
  });

  it("many times in a row, resumed each time, ends as an uninterrupted sweep, leaving nothing", {
    timeout: 300_000,
  }, async () => {
    const args = [
      GOSSIP,
      "--grid",
      "cluster.workers=4,8",
      "--set",
      "stop.time=200 s",
      "--seeds",
      "2",
      "--parallel",
      "2",
    ];
    const whole = join(tempDir(), "whole");
    const uninterrupted = startSweep([...args, "--out", whole]);
    expect(await uninterrupted.closed).toBe(0);

    const soaked = join(tempDir(), "soaked");
    // Kill moments from a fixed linear congruential sequence: from the very start to well into the runs.
    let state = 12345;
    const nextDelay = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return 200 + (state % 5000);
    };
    const orphans: number[] = [];
    for (let kill = 0; kill < 6; kill++) {
      const { child, closed } = startSweep([...args, "--out", soaked]);
      const deadline = Date.now() + nextDelay();
      // Note the runs it starts, up to the moment it is killed.
      while (Date.now() < deadline && child.exitCode === null) {
        for (const pid of childrenOf(child.pid!)) if (!orphans.includes(pid)) orphans.push(pid);
        await sleep(20);
      }
      // A sweep may have finished before its kill moment (a resumed one has little left to do).
      if (child.exitCode === null) killIfAlive(child.pid!);
      await closed;
    }
    const last = startSweep([...args, "--out", soaked]);
    expect(await last.closed).toBe(0);

    expect(withoutColumns(join(soaked, "runs.csv"), ["wallTime"])).toBe(
      withoutColumns(join(whole, "runs.csv"), ["wallTime"]),
    );
    expect(readFileSync(join(soaked, "summary.csv"), "utf8")).toBe(
      readFileSync(join(whole, "summary.csv"), "utf8"),
    );
    // No run of a killed sweep still running, no lock, no temporary file.
    expect(await waitFor(() => !orphans.some(isRunning), 15_000)).toBe(true);
    const leftovers = [...readdirSync(soaked), ...readdirSync(join(soaked, "runs")).map((f) => `runs/${f}`)];
    expect(leftovers.filter((name) => /(^|\/)\.|\.error\.txt$/.test(name))).toEqual([]);
    expect(existsSync(join(soaked, ".lock"))).toBe(false);
  });
});
