import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "../..");

export interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node bin/dtsim.js …args` from the repository root, as a user would. Asynchronous, so that a
 * file's tests can run their processes side by side (`describe.concurrent`).
 */
export function dtsim(args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "bin/dtsim.js"), ...args], {
      cwd: repoRoot,
      env: { ...process.env, DTSIM_DEBUG: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const tempDirs: string[] = [];

/**
 * Writes `content` to a fresh temporary file and returns its path. Its folder is removed after the
 * test file's tests (test/setup.ts calls `removeTempFiles`).
 */
export function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "dtsim-test-"));
  tempDirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Removes the folders `tempFile` made in this test file. */
export function removeTempFiles(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export const VALID_YAML = `
cluster:
  workers: 4
schedule:
  kind: allreduce
  bytes: 1 MB
`;
