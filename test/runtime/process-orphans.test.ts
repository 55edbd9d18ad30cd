import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isAlive } from "./pids.ts";

const clusterModule = fileURLToPath(new URL("../../runtime/process/cluster.ts", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

/** A coordinator that starts two workers, prints their pids, then waits to be killed. */
const coordinatorSource = `
import { startCluster } from ${JSON.stringify(clusterModule)};
const cluster = await startCluster({
  workers: 2,
  problem: { seed: 1, workers: 2, spec: { kind: "least-squares", dimension: 4, samplesPerWorker: 8 } },
});
process.stdout.write(JSON.stringify(cluster.pids) + "\\n");
setInterval(() => {}, 1000);
`;

async function waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe("a coordinator that dies", () => {
  it.each(["SIGKILL", "SIGTERM"] as const)(
    "by %s takes its worker processes with it",
    async (signal) => {
      const dir = mkdtempSync(join(tmpdir(), "dtsim-orphans-"));
      try {
        const script = join(dir, "coordinator.mts");
        writeFileSync(script, coordinatorSource);
        const coordinator = spawn(process.execPath, ["--import", "tsx", script], {
          cwd: root,
          stdio: ["ignore", "pipe", "inherit"],
        });
        const pids = await new Promise<number[]>((resolve, reject) => {
          let text = "";
          coordinator.stdout.setEncoding("utf8");
          coordinator.stdout.on("data", (chunk: string) => {
            text += chunk;
            if (text.includes("\n")) resolve(JSON.parse(text) as number[]);
          });
          coordinator.once("exit", (code) => reject(new Error(`coordinator exited with ${code}`)));
        });
        expect(pids.filter(isAlive)).toHaveLength(2);
        coordinator.kill(signal);
        // SIGKILL gives the coordinator no chance: the workers see their connection and stdin close.
        // Bounded wait: the workers' own exit takes a moment, and the machine may be loaded.
        expect(await waitUntil(() => !pids.some(isAlive), 20_000)).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
