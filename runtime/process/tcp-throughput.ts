/**
 * How fast bytes go from one process to another over loopback TCP: the ceiling of the multi-process
 * runtime's transfers (each of which also crosses coordinator → source and destination → coordinator),
 * and the constant `calibrate` records for it.
 *
 * A second Node process (a few lines of plain JavaScript, no loader) accepts one connection and, for
 * each round, reads an 8-byte length and that many bytes, then answers one byte. A round's time runs
 * from the first write to that answer, so it includes one loopback round trip (tens of microseconds,
 * nothing next to megabytes).
 */
import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { guardChild } from "./orphans.ts";

export interface TcpThroughput {
  /** Median seconds to deliver the bytes over the measured rounds. */
  readonly seconds: number;
  readonly bytesPerSecond: number;
}

const sinkSource = `
const net = require("node:net");
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let expected = -1, received = 0, header = Buffer.alloc(0);
  socket.on("data", (chunk) => {
    while (chunk.length > 0) {
      if (expected < 0) {
        const need = 8 - header.length;
        header = Buffer.concat([header, chunk.subarray(0, need)]);
        chunk = chunk.subarray(need);
        if (header.length < 8) return;
        expected = Number(header.readBigUInt64LE(0));
        received = 0;
      }
      const take = Math.min(expected - received, chunk.length);
      received += take;
      chunk = chunk.subarray(take);
      if (received === expected) {
        expected = -1;
        header = Buffer.alloc(0);
        socket.write(Buffer.of(1));
      }
    }
  });
  socket.on("close", () => process.exit(0));
});
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
`;

/**
 * Sends `bytes` from this process to another over loopback TCP, `rounds` times after one warm-up
 * round, and returns the median.
 */
export async function measureTcpThroughput(bytes: number, rounds = 3): Promise<TcpThroughput> {
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw new RangeError(`bytes must be a positive integer, got ${bytes}`);
  const child = spawn(process.execPath, ["-e", sinkSource], { stdio: ["pipe", "pipe", "inherit"] });
  guardChild(child);
  child.stdin.on("error", () => {});
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let text = "";
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        text += chunk;
        if (text.includes("\n")) resolve(Number(text.trim()));
      });
      child.once("exit", (code) => reject(new Error(`the TCP sink process exited with code ${code}`)));
      child.once("error", reject);
    });
    const socket = connect(port, "127.0.0.1");
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const payload = Buffer.alloc(bytes, 0x5a);
    const times: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      const seconds = await sendOnce(socket, payload);
      if (round > 0) times.push(seconds);
    }
    socket.destroy();
    times.sort((a, b) => a - b);
    const seconds = times[Math.floor(times.length / 2)]!;
    return { seconds, bytesPerSecond: bytes / seconds };
  } finally {
    child.kill("SIGKILL");
  }
}

function sendOnce(socket: Socket, payload: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(payload.length));
    const start = performance.now();
    const onError = (error: Error) => reject(error);
    socket.once("error", onError);
    socket.once("data", () => {
      socket.off("error", onError);
      resolve((performance.now() - start) / 1000);
    });
    socket.write(prefix);
    socket.write(payload);
  });
}
