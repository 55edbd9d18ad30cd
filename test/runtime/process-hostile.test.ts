/**
 * An attacker on the same machine, against a running cluster: it can reach the workers' loopback
 * ports but does not know the run's secret. Each attack must leave the run's numbers untouched and be
 * reported, and cost the worker a bounded amount of memory.
 */
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretVariable } from "../../runtime/process/auth.ts";
import { type ProcessCluster, startCluster } from "../../runtime/process/cluster.ts";
import { FrameConnection } from "../../runtime/process/connection.ts";
import { WorkerCrashedError } from "../../runtime/process/errors.ts";
import { encodeFrame, vectorLimits } from "../../runtime/process/framing.ts";
import { defaultMaxPending } from "../../runtime/process/gate.ts";
import type { PeerAddress, ProblemSource } from "../../runtime/process/protocol.ts";

const source: ProblemSource = {
  seed: 17,
  workers: 2,
  spec: { kind: "logistic", dimension: 12, samplesPerWorker: 40, batchSize: 5, heterogeneity: 1 },
};

/** Opens a connection to `address`, writes `bytes`, and resolves when the other side closes it. */
function attack(address: PeerAddress, bytes: readonly Buffer[]): { socket: Socket; closed: Promise<void> } {
  const socket = connect(address.port, address.host);
  socket.on("error", () => {});
  socket.on("data", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.once("connect", () => {
    for (const chunk of bytes) socket.write(chunk);
  });
  return { socket, closed };
}

function residentBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Number(line?.match(/(\d+)/)?.[1]) * 1024;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a cluster against an attacker on the machine", () => {
  let cluster: ProcessCluster;
  const lines: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ workers: 2, problem: source, log: (line) => lines.push(line) });
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
  });

  it("refuses a forged transfer: the real one arrives unchanged, and the forgery is reported", async () => {
    // The real transfer waits while its source is frozen: the forgery, with the id it got (the
    // cluster's first move) and a vector that would wreck any run, comes first.
    const data = Float32Array.from({ length: 12 }, (_, i) => i / 7);
    process.kill(cluster.pids[0]!, "SIGSTOP");
    const real = cluster.transport.move(0, 1, data);
    const forged = [
      ...encodeFrame({ type: "peer-hello", from: 0 }),
      ...encodeFrame({ type: "transfer", id: 1, src: 0 }, [new Float32Array(12).fill(1e16)]),
    ];
    const { closed } = attack(cluster.peerAddresses[1]!, forged);
    await closed;
    await until(() => cluster.refusedConnections >= 1, "the refusal to be reported");
    process.kill(cluster.pids[0]!, "SIGCONT");
    expect(Array.from(await real)).toEqual(Array.from(data));
    expect(lines.join("\n")).toMatch(/\[worker 1\] refused connection 1 .*wrong proof of the run's secret/);
    expect(cluster.crashOf(0) ?? cluster.crashOf(1)).toBeUndefined();
  });

  it("never allocates what a 3 GB frame header announces", async () => {
    const pid = cluster.pids[1]!;
    const before = residentBytes(pid);
    const prefix = Buffer.alloc(8);
    prefix.writeUInt32LE(2, 0);
    prefix.writeUInt32LE(3_000_000_000, 4);
    const refused = cluster.refusedConnections;
    // The announcement, then enough bytes to finish a handshake's worth and more.
    const { closed } = attack(cluster.peerAddresses[1]!, [prefix, Buffer.alloc(1 << 16, 7)]);
    await closed;
    await until(() => cluster.refusedConnections > refused, "the refusal to be reported");
    expect(residentBytes(pid) - before).toBeLessThan(64 << 20);
  });

  it("bounds a flood of connections; the cluster keeps serving and reports them", async () => {
    const flood = 200;
    const refused = cluster.refusedConnections;
    // Connections that say nothing: each would hold a handshake open until its timeout.
    const attacks = Array.from({ length: flood }, () => attack(cluster.peerAddresses[0]!, []));
    // Beyond the pending bound the oldest are dropped at once; the last ones wait for their
    // handshake's timeout, or for the attacker to give up (below).
    await until(
      () => cluster.refusedConnections - refused >= flood - defaultMaxPending,
      "the connections beyond the bound to be refused",
    );
    const data = Float32Array.from({ length: 12 }, (_, i) => -i);
    expect(Array.from(await cluster.transport.move(1, 0, data))).toEqual(Array.from(data));
    for (const { socket } of attacks) socket.destroy();
    await Promise.all(attacks.map((a) => a.closed));
    await until(() => cluster.refusedConnections - refused === flood, "every flood connection refused");
    expect(lines.join("\n")).toMatch(
      /\[worker 0\] refused connection 100 .*more than 16 connections were proving/,
    );
    expect(cluster.crashOf(0) ?? cluster.crashOf(1)).toBeUndefined();
  }, 30_000);
});

/** The run's secret as a process of the same user can read it: from the worker's initial environment. */
function secretOf(pid: number): Buffer {
  const entry = readFileSync(`/proc/${pid}/environ`, "latin1")
    .split("\0")
    .find((e) => e.startsWith(`${secretVariable}=`));
  return Buffer.from(entry!.slice(secretVariable.length + 1), "hex");
}

describe("a cluster against a process that holds the run's secret", () => {
  let cluster: ProcessCluster;
  const lines: string[] = [];
  const crashes: WorkerCrashedError[] = [];

  beforeAll(async () => {
    cluster = await startCluster({
      workers: 2,
      problem: source,
      log: (line) => lines.push(line),
      onCrash: (error) => crashes.push(error),
    });
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
  });

  it("keeps the secret off the command line, which every user can read", () => {
    const secret = secretOf(cluster.pids[0]!).toString("hex");
    expect(secret).toHaveLength(64);
    for (const pid of cluster.pids) {
      expect(readFileSync(`/proc/${pid}/cmdline`, "latin1")).not.toContain(secret);
    }
  });

  it("stops a worker that forwards an answer nobody waits for, with a report naming it", async () => {
    const connection = await FrameConnection.open(
      connect(cluster.peerAddresses[1]!.port, cluster.peerAddresses[1]!.host),
      secretOf(cluster.pids[1]!),
      "client",
      vectorLimits(12, 5),
    );
    connection.start(() => {});
    connection.send({ type: "peer-hello", from: 0 });
    connection.send({ type: "transfer", id: 999, src: 0 }, [new Float32Array(12).fill(1e16)]);
    await until(() => crashes.length > 0, "worker 1 to be stopped");
    expect(crashes.map((c) => c.message)).toEqual([
      "worker 1's process lost (protocol violation: unexpected 'arrived' frame for request 999)",
    ]);
    await expect(cluster.transport.move(0, 1, new Float32Array(12))).rejects.toThrow(WorkerCrashedError);
    connection.destroy();
  });

  it("stops a worker whose peer announces a 3 GB frame, with the reason", async () => {
    const connection = await FrameConnection.open(
      connect(cluster.peerAddresses[0]!.port, cluster.peerAddresses[0]!.host),
      secretOf(cluster.pids[0]!),
      "client",
      vectorLimits(12, 5),
    );
    const prefix = Buffer.alloc(8);
    prefix.writeUInt32LE(2, 0);
    prefix.writeUInt32LE(3_000_000_000, 4);
    connection.socket.write(prefix);
    await until(() => crashes.length > 1, "worker 0 to be stopped");
    expect(crashes[1]!.message).toMatch(
      /^worker 0's process .*payload of 3000000000 bytes, at most \d+ allowed/,
    );
    connection.destroy();
  });
});
