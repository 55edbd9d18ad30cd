import { randomBytes } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  AuthError,
  newRunSecret,
  secretVariable,
  takeSecretFromEnvironment,
} from "../../runtime/process/auth.ts";
import { FrameConnection } from "../../runtime/process/connection.ts";
import { type Frame, vectorLimits } from "../../runtime/process/framing.ts";
import { PendingRequests } from "../../runtime/process/pending.ts";

const limits = vectorLimits(16, 4);
const servers: Server[] = [];

afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A loopback server whose first connection is handed to `accept`; resolves with its port. */
async function listen(accept: (socket: Socket) => void): Promise<number> {
  const server = createServer(accept);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}

describe("the run's secret on every connection", () => {
  it("lets two sides that hold it speak frames, in both directions", async () => {
    const secret = newRunSecret();
    let served: Promise<FrameConnection> | undefined;
    const port = await listen((socket) => {
      served = FrameConnection.open(socket, secret, "server", limits);
    });
    const client = await FrameConnection.open(connect(port, "127.0.0.1"), secret, "client", limits);
    // Sent at once: it may arrive with the proof, and must still come out as a frame.
    client.send({ type: "transfer", id: 3 }, [Float32Array.of(1, 2, 3)]);
    const server = await served!;
    const frame = await new Promise<Frame>((resolve) => server.start(resolve));
    expect(frame.header).toEqual({ type: "transfer", id: 3 });
    expect(Array.from(frame.parts[0]!)).toEqual([1, 2, 3]);
    server.send({ type: "stop" });
    const back = await new Promise<Frame>((resolve) => client.start(resolve));
    expect(back.header.type).toBe("stop");
    client.destroy();
    server.destroy();
  });

  it("refuses a peer with another secret, on both sides", async () => {
    let served: Promise<FrameConnection> | undefined;
    const port = await listen((socket) => {
      served = FrameConnection.open(socket, newRunSecret(), "server", limits);
      // Checked below; it may reject before the check is attached.
      served.catch(() => {});
    });
    const client = FrameConnection.open(connect(port, "127.0.0.1"), newRunSecret(), "client", limits);
    await expect(client).rejects.toThrow(AuthError);
    await expect(served!).rejects.toThrow(/wrong proof of the run's secret/);
  });

  it("refuses a peer that says nothing, after the timeout", async () => {
    let served: Promise<FrameConnection> | undefined;
    const port = await listen((socket) => {
      served = FrameConnection.open(socket, newRunSecret(), "server", limits, 200);
      served.catch(() => {});
    });
    const silent = connect(port, "127.0.0.1");
    silent.on("error", () => {});
    await new Promise((resolve) => silent.once("connect", resolve));
    await expect(served!).rejects.toThrow(/no proof of the run's secret within 0.2 s/);
    silent.destroy();
  });

  it("drops a peer that proved the secret but announces a 3 GB frame, without allocating it", async () => {
    const secret = newRunSecret();
    let served: Promise<FrameConnection> | undefined;
    const port = await listen((socket) => {
      served = FrameConnection.open(socket, secret, "server", limits);
    });
    const client = await FrameConnection.open(connect(port, "127.0.0.1"), secret, "client", limits);
    const server = await served!;
    const reason = new Promise<string>((resolve) => server.onClose(resolve));
    const frames: Frame[] = [];
    server.start((frame) => frames.push(frame));
    const before = process.memoryUsage().arrayBuffers;
    const prefix = Buffer.alloc(8);
    prefix.writeUInt32LE(2, 0);
    prefix.writeUInt32LE(3_000_000_000, 4);
    client.socket.write(prefix);
    expect(await reason).toBe(
      `bad frame: payload of 3000000000 bytes, at most ${limits.payloadBytes} allowed`,
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
    expect(frames).toEqual([]);
    client.destroy();
  });

  it("tells a close listener added after the close, with its reason", async () => {
    // A frame that came with the proof is decoded in start(): a bad one closes the connection
    // before the caller's next line can add its listener.
    const secret = newRunSecret();
    let served: Promise<FrameConnection> | undefined;
    const port = await listen((socket) => {
      served = FrameConnection.open(socket, secret, "server", limits);
    });
    const client = await FrameConnection.open(connect(port, "127.0.0.1"), secret, "client", limits);
    const server = await served!;
    server.destroy();
    const reason = await new Promise<string>((resolve) => server.onClose(resolve));
    expect(reason).toBe("destroyed");
    client.destroy();
  });

  it("takes the secret from the environment once, and refuses a malformed one", () => {
    const secret = randomBytes(32);
    const env: NodeJS.ProcessEnv = { [secretVariable]: secret.toString("hex") };
    expect(takeSecretFromEnvironment(env).equals(secret)).toBe(true);
    expect(env[secretVariable]).toBeUndefined();
    expect(() => takeSecretFromEnvironment({ [secretVariable]: "abcd" })).toThrow(/32 bytes in hex/);
    expect(() => takeSecretFromEnvironment({})).toThrow(AuthError);
  });
});

describe("answers to requests", () => {
  it("settles only a request that waits for the answering worker; a late answer is dropped quietly", async () => {
    const pending = new PendingRequests<number>(60_000);
    const sent: number[] = [];
    const move = pending.add(0, "a transfer to worker 2", [2], (id) => sent.push(id));
    // Worker 1 is not part of request 1, and nobody waits for request 7.
    expect(pending.resolveFrom(1, sent[0]!, 5)).toBe(false);
    expect(pending.resolveFrom(2, 7, 5)).toBe(false);
    expect(pending.resolveFrom(2, sent[0]!, 5)).toBe(true);
    await expect(move).resolves.toBe(5);
    // Answered already: a second answer is unexpected.
    expect(pending.resolveFrom(2, sent[0]!, 6)).toBe(false);
    const failed = pending.add(0, "a gradient", [], (id) => sent.push(id));
    pending.rejectInvolving(0, new Error("crashed"));
    await expect(failed).rejects.toThrow("crashed");
    // Its answer may still come once, after the crash settled it.
    expect(pending.resolveFrom(0, sent[1]!, 1)).toBe(true);
    expect(pending.resolveFrom(0, sent[1]!, 1)).toBe(false);
  });
});
