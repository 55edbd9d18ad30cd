import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../cli/exit-codes.ts";
import { MAX_SWEEP_RUNS } from "../../cli/sweep/grid.ts";
import { lockDir } from "../../cli/sweep/lock.ts";
import { sweepInProcess } from "./helpers.ts";

/**
 * Issue #15: two sweeps taking over the same stale `.lock` at once could both believe they held it
 * (each removed the stale file, then created its own; the second removal took the first's lock). The
 * interleaving is forced here: sweep A reads the folder's lock, and before it acts on what it read,
 * sweep B does its whole takeover. Identities are injected so both "sweeps" live in this process.
 */

const DEAD = 999_999;
const live = new Set([101, 102, 103]);
const isAlive = (pid: number) => live.has(pid);

function folderWithStaleLock(): string {
  const dir = mkdtempSync(join(tmpdir(), "dtsim-lock-"));
  writeFileSync(join(dir, ".lock"), `${DEAD}\n`);
  return dir;
}

/** Whether lockDir succeeded for `pid`: its release, or the refusal's message. */
function tryLock(dir: string, pid: number, afterRead?: () => void): (() => void) | string {
  try {
    return lockDir(dir, { pid, isAlive, ...(afterRead === undefined ? {} : { afterRead }) });
  } catch (error) {
    return (error as Error).message;
  }
}

describe("the sweep folder's lock", () => {
  it("lets only one of two racing takeovers of a stale lock hold it", () => {
    const dir = folderWithStaleLock();
    let b: (() => void) | string | undefined;
    let raced = false;
    const a = tryLock(dir, 101, () => {
      if (raced) return;
      raced = true;
      b = tryLock(dir, 102);
    });
    expect(raced).toBe(true);
    expect(typeof b).toBe("function");
    expect(a).toMatch(/expected a folder no other sweep is working in \(pid 102 is\)/);
    // B holds it: a third sweep is refused, naming B.
    expect(tryLock(dir, 103)).toMatch(/\(pid 102 is\)/);
    (b as () => void)();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("takes over a dead sweep's lock, refuses a live one's, and leaves nothing once released", () => {
    const dir = folderWithStaleLock();
    const release = tryLock(dir, 101);
    expect(typeof release).toBe("function");
    const lockFiles = readdirSync(dir);
    expect(lockFiles).toHaveLength(1);
    expect(readFileSync(join(dir, lockFiles[0]!), "utf8")).toBe("101\n");
    expect(tryLock(dir, 102)).toMatch(/\(pid 101 is\)/);
    (release as () => void)();
    expect(readdirSync(dir)).toEqual([]);
    const again = tryLock(dir, 102);
    expect(typeof again).toBe("function");
    (again as () => void)();
  });

  it("lets one of many takeovers in any order hold it, whatever the interleaving", () => {
    // Each sweep reads, then lets the next one do its whole attempt before it acts (a chain of races).
    for (let n = 2; n <= 3; n++) {
      const dir = folderWithStaleLock();
      const held: Array<() => void> = [];
      const attempt = (pid: number): void => {
        let nested = false;
        const outcome = tryLock(dir, pid, () => {
          if (nested || pid >= 100 + n) return;
          nested = true;
          attempt(pid + 1);
        });
        if (typeof outcome === "function") held.push(outcome);
      };
      attempt(101);
      expect(held).toHaveLength(1);
      held[0]!();
      expect(readdirSync(dir)).toEqual([]);
    }
  });
});

describe("a sweep too big to list", () => {
  it("is refused in one line before its folder or lock exists (--seeds 1000000000 used to abort V8)", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "dtsim-lock-")), "out");
    const { code, lines } = await sweepInProcess({
      out,
      seeds: "1000000000",
      grids: ["cluster.workers=2,3"],
    });
    expect(code).toBe(ExitCode.badInput);
    expect(lines).toEqual([
      `--seeds: got "1000000000", expected a sweep of at most ${MAX_SWEEP_RUNS} runs (2 grid point(s) × 1000000000 seed(s) is 2000000000)`,
    ]);
    expect(existsSync(out)).toBe(false);
    const nearTop = await sweepInProcess({ out, seeds: "3", set: [`seed=${Number.MAX_SAFE_INTEGER - 1}`] });
    expect(nearTop.lines[0]).toMatch(/^--seeds: got "3", expected seeds that stay at most 2\^53/);
  });
});
