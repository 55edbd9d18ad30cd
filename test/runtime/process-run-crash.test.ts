import { describe, expect, it } from "vitest";
import { startCluster } from "../../runtime/process/cluster.ts";
import { problemSourceOf } from "../../runtime/process/protocol.ts";
import { runOnRuntime } from "../../runtime/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";
import { isAlive } from "./pids.ts";

/**
 * The multi-process runtime survives a killed worker: the run stops at the crash with a report of
 * it (stop reason "crashed", which worker, which signal, when), everything measured until then is
 * kept (the other workers' gradients and exchanges), and no worker process outlives the run.
 */
describe("a worker process killed during a run", () => {
  it("ends the run with a report of the crash and keeps the others' results", async () => {
    const scenario = decodeScenario({
      name: "crash",
      seed: 5,
      cluster: {
        workers: 3,
        topology: { kind: "complete" },
        network: { model: "alpha-beta", layout: "switch", bandwidth: "1 MB/s", latency: "1 ms" },
      },
      problem: { kind: "logistic", dimension: 20, samplesPerWorker: 64, batchSize: 8 },
      schedule: { kind: "gossip", rate: 1, lr: 0.1, sampleEvery: 0.1 },
      stop: { time: "20 s" },
    });
    const cluster = await startCluster({
      workers: 3,
      problem: problemSourceOf(scenario),
      device: "cpu",
      log: () => {},
    });
    const pids = [...cluster.pids];
    try {
      let killed = false;
      const result = await runOnRuntime(scenario, {
        compute: (worker) => cluster.compute(worker),
        transport: cluster.transport,
        onProgress: (time) => {
          if (!killed && time > 0.5) {
            killed = true;
            process.kill(pids[1]!, "SIGKILL");
          }
        },
      });
      expect(killed).toBe(true);
      expect(result.stopReason).toBe("crashed");
      expect(result.crashes).toHaveLength(1);
      expect(result.crashes![0]).toMatchObject({ worker: 1, signal: "SIGKILL" });
      // Stopped at the crash, long before the 20 s horizon, with what happened until then.
      expect(result.simTime).toBeLessThan(20);
      expect(result.simTime).toBeGreaterThan(0.5);
      for (const w of [0, 2]) expect(result.workers[w]!.counts.gradients).toBeGreaterThan(0);
      expect(result.measured.gradients[0]!.count).toBeGreaterThan(0);
      expect(result.series?.loss?.length).toBeGreaterThan(1);
    } finally {
      await cluster.close();
    }
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  }, 60_000);
});
