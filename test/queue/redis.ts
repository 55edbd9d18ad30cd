import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer, Socket } from "node:net";

/** A redis-server this test started, on loopback. */
export interface TestRedis {
  readonly port: number;
  /** `redis://127.0.0.1:PORT/DB`. */
  readonly url: (db?: number) => string;
  readonly stop: () => Promise<void>;
}

/** Why the Redis tests cannot run here, or undefined when redis-server is installed. */
export function redisMissing(): string | undefined {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    return "redis-server is not installed (Debian: apt-get install redis-server; .ci/run does it as root)";
  }
  return undefined;
}

/** A port nobody listens on right now (the kernel's choice of a free one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(),
      );
    });
  });
}

/**
 * Starts redis-server on a free loopback port, in memory only (no dump, no append-only file), with
 * the eviction policy the queue requires (unless `policy` says another), and waits until it answers. `requirePass` adds a password
 * for the `default` user.
 */
export async function startRedis(
  options: { requirePass?: string; policy?: string } = {},
): Promise<TestRedis> {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  args.push("--maxmemory-policy", options.policy ?? "noeviction", "--loglevel", "warning");
  if (options.requirePass !== undefined) args.push("--requirepass", options.requirePass);
  const server: ChildProcess = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  server.stdout?.setEncoding("utf8").on("data", (text: string) => (log += text));
  server.stderr?.setEncoding("utf8").on("data", (text: string) => (log += text));
  const exited = new Promise<void>((resolve) => server.on("exit", () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill("SIGKILL");
      throw new Error(`redis-server did not start on port ${port}: ${log.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
    stop: async () => {
      if (server.exitCode === null) server.kill("SIGTERM");
      await exited;
    },
  };
}

/** Whether something accepts a connection on the port (Redis, once it has started). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1");
  });
}
