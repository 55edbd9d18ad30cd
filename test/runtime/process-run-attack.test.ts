import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startCluster } from "../../runtime/process/cluster.ts";
import { encodeFrame } from "../../runtime/process/framing.ts";
import { problemSourceOf } from "../../runtime/process/protocol.ts";
import { runOnRuntime } from "../../runtime/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";

/**
 * The attack of issue #15, during a real run: while the workers gossip, a process on the machine
 * keeps connecting to their peer ports and sends transfers of 10¹⁶-valued vectors under every id the
 * run's moves may get. Before the ports were authenticated, such frames were forwarded as
 * the moves' answers and the loss went from 0.69 to 6·10¹⁶ with exit 0; now each connection is
 * refused before its first frame is read, the run trains as usual, and the refusals are counted.
 */
describe("a run whose worker ports an attacker keeps forging transfers to", () => {
  it("trains unaffected, and the forgeries are refused and reported", async () => {
    const scenario = decodeScenario({
      name: "attacked",
      seed: 5,
      cluster: {
        workers: 3,
        topology: { kind: "complete" },
        network: { model: "alpha-beta", layout: "switch", bandwidth: "100 MB/s", latency: "1 ms" },
      },
      problem: { kind: "logistic", dimension: 20, samplesPerWorker: 64, batchSize: 8 },
      schedule: { kind: "gossip", rate: 5, lr: 0.1, sampleEvery: 0.25 },
      stop: { time: "2 s" },
    });
    const lines: string[] = [];
    const cluster = await startCluster({
      workers: 3,
      problem: problemSourceOf(scenario),
      log: (line) => lines.push(line),
    });
    // Every id a move of this run can get (it makes ≈ 1 400 a second): whichever are in flight when
    // a connection's frames arrive are hit.
    const ids = 4000;
    const forge = () => {
      for (const address of cluster.peerAddresses) {
        const socket = connect(address.port, address.host);
        socket.on("error", () => {});
        socket.on("data", () => {});
        const frames = [...encodeFrame({ type: "peer-hello", from: 0 })];
        const poison = new Float32Array(20).fill(1e16);
        for (let id = 1; id <= ids; id++)
          frames.push(...encodeFrame({ type: "transfer", id, src: 0 }, [poison]));
        socket.once("connect", () => socket.end(Buffer.concat(frames)));
      }
    };
    const attacker = setInterval(forge, 50);
    try {
      const result = await runOnRuntime(scenario, {
        compute: (worker) => cluster.compute(worker),
        transport: cluster.transport,
      });
      clearInterval(attacker);
      expect(result.stopReason).not.toBe("crashed");
      expect(result.crashes).toBeUndefined();
      const loss = result.series!.loss!;
      expect(loss.every(Number.isFinite)).toBe(true);
      expect(loss.at(-1)!).toBeLessThan(loss[0]!);
      expect(cluster.refusedConnections).toBeGreaterThan(10);
      expect(lines.join("\n")).toMatch(/refused connection 10 .*wrong proof of the run's secret/);
    } finally {
      clearInterval(attacker);
      await cluster.close();
    }
  }, 60_000);
});
