import { linkSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../sim/errors.ts";

/**
 * The lock of a sweep's folder, which only one sweep may work in at a time, and which a sweep killed
 * with SIGKILL leaves behind. Taking over a dead sweep's lock by removing its file and creating ours
 * has a race: two sweeps read the same dead pid, A removes and creates, then B removes A's fresh lock
 * and creates its own, and both run. Here nothing ever removes a lock that someone may hold:
 *
 * - The lock is a sequence of generations: `.lock` (generation 0), `.lock.1`, `.lock.2`, …, each
 *   holding its taker's pid. The holder is the taker of the highest generation.
 * - A sweep reads the highest generation g; if its taker lives, the folder is busy. Otherwise the
 *   sweep creates generation g + 1, atomically and exclusively (a hard link of a file that already
 *   holds its pid, so no one ever reads a half-written lock). Of all the sweeps that saw g dead,
 *   exactly one creates g + 1; the others get EEXIST, read again, and find g + 1's live taker.
 * - Having created its generation, a sweep lists again: a higher one means it read a lower stale
 *   generation late, so it withdraws. Then it removes the lower generations (dead by then) and runs.
 * - Releasing removes the holder's own generation only.
 */

const LOCK = ".lock";

/** A lock file's name: `.lock` or `.lock.<generation>`. */
export const isLockFile = (name: string) => /^\.lock(\.[1-9]\d*)?$/.test(name);

/** Who takes the lock: this process, unless a test plays several sweeps in one. */
export interface LockTaker {
  readonly pid: number;
  readonly isAlive: (pid: number) => boolean;
  /** Test hook: runs after the lock files were read and before anything is done about them. */
  readonly afterRead?: () => void;
}

const thisProcess: LockTaker = { pid: process.pid, isAlive };

/** Takes DIR's lock for `taker`, or throws an InputError naming the live sweep that holds it. Returns its release. */
export function lockDir(dir: string, taker: LockTaker = thisProcess): () => void {
  const busy = (pid: number) =>
    new InputError("--out", dir, `a folder no other sweep is working in (pid ${pid} is)`);
  // A file that already holds our pid, linked into place: a lock file is never seen half-written.
  const mine = join(dir, `${LOCK}.${taker.pid}.tmp`);
  try {
    writeFileSync(mine, `${taker.pid}\n`);
  } catch (error) {
    throw new InputError("--out", dir, `a folder dtsim can write to (${(error as Error).message})`);
  }
  try {
    for (let attempt = 0; attempt < 16; attempt++) {
      const top = generations(dir).at(-1);
      const holder = top === undefined ? undefined : readPid(dir, top);
      taker.afterRead?.();
      // Gone since the listing (its holder released it, or a taker cleaned it up): read again.
      if (top !== undefined && holder === undefined) continue;
      if (holder !== undefined && holder !== taker.pid && taker.isAlive(holder)) throw busy(holder);
      const next = top === undefined ? 0 : top + 1;
      try {
        linkSync(mine, join(dir, lockName(next)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
        throw error;
      }
      const after = generations(dir);
      if (after.at(-1) !== next) {
        // A higher generation exists: we acted on a stale reading. Withdraw and read again.
        removeQuietly(join(dir, lockName(next)));
        continue;
      }
      for (const older of after) if (older < next) removeQuietly(join(dir, lockName(older)));
      removeDeadTemporaries(dir, taker);
      return () => removeQuietly(join(dir, lockName(next)));
    }
  } finally {
    removeQuietly(mine);
  }
  throw new InputError("--out", dir, "a folder no other sweep is working in (its lock keeps changing)");
}

function lockName(generation: number): string {
  return generation === 0 ? LOCK : `${LOCK}.${generation}`;
}

/** The generations present in DIR, ascending. */
function generations(dir: string): number[] {
  return readdirSync(dir)
    .filter(isLockFile)
    .map((name) => (name === LOCK ? 0 : Number(name.slice(LOCK.length + 1))))
    .sort((a, b) => a - b);
}

/** The pid in a generation's file; undefined if the file is gone. A garbled file reads as pid 0 (dead). */
function readPid(dir: string, generation: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, lockName(generation)), "utf8");
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : 0;
}

/** `.lock.<pid>.tmp` files of takers killed between writing and linking them. */
function removeDeadTemporaries(dir: string, taker: LockTaker): void {
  for (const name of readdirSync(dir)) {
    const match = /^\.lock\.(\d+)\.tmp$/.exec(name);
    if (match !== null && !taker.isAlive(Number(match[1]))) removeQuietly(join(dir, name));
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
