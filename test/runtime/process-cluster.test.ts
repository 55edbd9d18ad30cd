import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CpuCompute } from "../../runtime/compute/cpu.ts";
import { type ProcessCluster, startCluster } from "../../runtime/process/cluster.ts";
import { WorkerCrashedError, WorkerStartError } from "../../runtime/process/errors.ts";
import type { ProblemSource } from "../../runtime/process/protocol.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import { buildProblem } from "../../sim/scenario/registry/problem-kinds.ts";
import { isAlive } from "./pids.ts";

const source: ProblemSource = {
  seed: 11,
  workers: 3,
  spec: { kind: "logistic", dimension: 12, samplesPerWorker: 40, batchSize: 5, heterogeneity: 1 },
};

describe("workers as OS processes over TCP", () => {
  let cluster: ProcessCluster;
  const crashes: WorkerCrashedError[] = [];
  const lines: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster({
      workers: 3,
      problem: source,
      device: "cpu",
      // Large, so that the crash below can only be seen by crash detection, never by the timeout.
      requestTimeoutMs: 120_000,
      // The transfer test below moves a vector far longer than the problem's: frames must allow it.
      vectorLength: 300_001,
      log: (line) => lines.push(line),
      onCrash: (error) => crashes.push(error),
    });
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
  });

  it("computes the in-process CPU gradients, bit for bit", async () => {
    const problem = buildProblem(source.spec, source.workers, new RandomStreams(source.seed));
    const local = new CpuCompute(problem);
    const rng = new RandomStreams(5).stream("batches");
    for (let worker = 0; worker < 3; worker++) {
      expect(cluster.compute(worker).label).toMatch(new RegExp(`^process ${cluster.pids[worker]} / cpu$`));
      for (let step = 0; step < 3; step++) {
        const x = new Float32Array(problem.dimension).map(() => rng.normal());
        // A mini-batch, then the full local objective (no batch).
        const batch = step < 2 ? problem.sampleBatch!(worker, rng) : undefined;
        const expected = new Float32Array(problem.dimension);
        const remote = new Float32Array(problem.dimension);
        const expectedLoss = await local.gradient(worker, x, batch, expected);
        const remoteLoss = await cluster.compute(worker).gradient(worker, x, batch, remote);
        expect(remoteLoss).toBe(expectedLoss);
        expect(Buffer.from(remote.buffer)).toEqual(Buffer.from(expected.buffer));
      }
    }
  });

  it("moves a vector from worker 0's process to worker 2's", async () => {
    const rng = new RandomStreams(6).stream("vector");
    const data = new Float32Array(300_001).map(() => rng.normal());
    const received = await cluster.transport.move(0, 2, data);
    // A copy that came back over TCP (not.toBe would compare 3·10⁵ elements for its message).
    expect(received === data).toBe(false);
    // Compared as bytes with Buffer.equals: toEqual walks 3·10⁵ elements very slowly.
    const same = Buffer.from(received.buffer, received.byteOffset, received.byteLength).equals(
      Buffer.from(data.buffer),
    );
    expect(same).toBe(true);
  });

  it("fails a crashed worker's requests with WorkerCrashedError; the others keep serving", async () => {
    const victim = cluster.pids[1]!;
    const x = new Float32Array(12).fill(0.5);
    // Frozen first, so that the gradient is certainly still pending when the process dies.
    process.kill(victim, "SIGSTOP");
    const pending = cluster.compute(1).gradient(1, x, undefined, new Float32Array(12));
    const transferToVictim = cluster.transport.move(0, 1, x);
    const killedAt = performance.now();
    process.kill(victim, "SIGKILL");
    const error = await pending.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    const detectedAfterMs = performance.now() - killedAt;
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(error).toMatchObject({ worker: 1, signal: "SIGKILL", code: null });
    // Seen from the process's exit, not from the 120 s request timeout.
    expect(detectedAfterMs).toBeLessThan(10_000);
    await expect(transferToVictim).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(crashes.map((c) => c.worker)).toEqual([1]);
    // Later requests to it fail at once.
    await expect(cluster.compute(1).gradient(1, x, undefined, new Float32Array(12))).rejects.toBe(crashes[0]);
    await expect(cluster.transport.move(2, 1, x)).rejects.toBe(crashes[0]);

    const g = new Float32Array(12);
    await expect(cluster.compute(0).gradient(0, x, undefined, g)).resolves.toBeTypeOf("number");
    await expect(cluster.compute(2).gradient(2, x, Int32Array.of(0, 1), g)).resolves.toBeTypeOf("number");
    await expect(cluster.transport.move(2, 0, x)).resolves.toEqual(x);
  });

  it("leaves no worker process alive after close", async () => {
    const pids = cluster.pids;
    await cluster.close();
    expect(pids.filter(isAlive)).toEqual([]);
    await expect(
      cluster.compute(0).gradient(0, new Float32Array(12), undefined, new Float32Array(12)),
    ).rejects.toThrow(/closed/);
  });
});

describe("a cluster that cannot start", () => {
  it("names the worker and its reason", async () => {
    const bad: ProblemSource = { seed: 1, workers: 1, spec: { kind: "logistic", l2: 0 } };
    const error = await startCluster({ workers: 1, problem: bad, log: () => {} }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(WorkerStartError);
    expect((error as Error).message).toMatch(/^worker 0 could not start: problem\.l2: got 0/);
  }, 60_000);
});
