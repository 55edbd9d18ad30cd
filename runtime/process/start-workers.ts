/**
 * The steps of starting worker processes (cluster.ts's `startCluster`): spawning one, waiting for the
 * hellos, sending the set-up, and the errors that name a worker that did not start.
 */
import { spawn } from "node:child_process";
import type { Server, Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { FrameConnection } from "./connection.ts";
import { WorkerStartError } from "./errors.ts";
import { guardChild } from "./orphans.ts";
import { forwardLines } from "./output.ts";
import type { DeviceKind, PeerAddress, ProblemSource } from "./protocol.ts";
import type { WorkerHandle } from "./worker-handle.ts";

const bootstrap = fileURLToPath(new URL("./worker-bootstrap.mjs", import.meta.url));

export function deviceOf(device: DeviceKind | readonly DeviceKind[] | undefined, worker: number): DeviceKind {
  if (device === undefined) return "cpu";
  if (typeof device === "string") return device;
  const kind = device[worker];
  if (kind === undefined) throw new RangeError(`no device kind for worker ${worker}`);
  return kind;
}

export function spawnWorker(
  worker: number,
  coordinator: string,
  host: string,
  log: (line: string) => void,
): WorkerHandle {
  const child = spawn(
    process.execPath,
    [bootstrap, "--coordinator", coordinator, "--worker", String(worker), "--listen", host],
    {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, EGL_PLATFORM: process.env.EGL_PLATFORM ?? "surfaceless" },
    },
  );
  guardChild(child);
  const handle: WorkerHandle = {
    worker,
    child,
    pid: child.pid ?? -1,
    control: undefined,
    peer: undefined,
    label: undefined,
    crash: undefined,
    stopping: false,
    recentErrors: [],
  };
  const prefix = `[worker ${worker}] `;
  forwardLines(child.stdout!, prefix, log);
  forwardLines(child.stderr!, prefix, (line) => {
    handle.recentErrors.push(line);
    if (handle.recentErrors.length > 5) handle.recentErrors.shift();
    log(line);
  });
  // Writes to a dead child's stdin would raise EPIPE on the coordinator.
  child.stdin!.on("error", () => {});
  return handle;
}

/** Resolves when every worker has connected and said hello. */
export function greetAll(server: Server, handles: readonly WorkerHandle[]): Promise<void> {
  return new Promise((resolve) => {
    let greeted = 0;
    server.on("connection", (socket: Socket) => {
      const connection = new FrameConnection(socket, (frame) => {
        if (frame.header.type !== "hello") return;
        const handle = handles[frame.header.worker as number];
        if (handle === undefined || handle.control !== undefined || frame.header.pid !== handle.pid) {
          connection.destroy();
          return;
        }
        handle.control = connection;
        handle.peer = { host: frame.header.host as string, port: frame.header.port as number };
        connection.onFrame = () => {};
        greeted++;
        if (greeted === handles.length) resolve();
      });
    });
  });
}

/** Sends the set-up and the peer table to one worker; resolves with its label when it is ready. */
export function setUp(
  handle: WorkerHandle,
  problem: ProblemSource,
  device: DeviceKind,
  peers: readonly PeerAddress[],
): Promise<void> {
  const control = handle.control!;
  return new Promise((resolve, reject) => {
    control.onFrame = (frame) => {
      if (frame.header.type === "ready") {
        handle.label = String(frame.header.label);
        resolve();
      } else if (frame.header.type === "failed") {
        reject(
          new WorkerStartError(`worker ${handle.worker} could not start: ${String(frame.header.message)}`),
        );
      }
    };
    control.send({ type: "peers", peers });
    control.send({ type: "setup", problem, device });
  });
}

export function startFailure(
  handle: WorkerHandle,
  code: number | null,
  signal: NodeJS.Signals | null,
): WorkerStartError {
  const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
  const said = handle.recentErrors.length > 0 ? `; its last words: ${handle.recentErrors.join(" | ")}` : "";
  return new WorkerStartError(`worker ${handle.worker}'s process ${how} before it was ready${said}`);
}

export async function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  handles: readonly WorkerHandle[],
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const late = handles.filter((h) =>
        what === "say hello" ? h.control === undefined : h.label === undefined,
      );
      const names = late.map((h) => h.worker).join(", ");
      reject(new WorkerStartError(`worker ${names} did not ${what} within ${ms / 1000} s`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
