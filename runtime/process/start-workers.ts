/**
 * The steps of starting worker processes (cluster.ts's `startCluster`): spawning one, waiting for the
 * hellos, sending the set-up, and the errors that name a worker that did not start.
 */
import { spawn } from "node:child_process";
import type { Server } from "node:net";
import { fileURLToPath } from "node:url";
import { secretVariable } from "./auth.ts";
import type { FrameConnection } from "./connection.ts";
import { WorkerStartError } from "./errors.ts";
import { controlLimits } from "./framing.ts";
import { guardServer } from "./gate.ts";
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
  secret: Buffer,
  log: (line: string) => void,
): WorkerHandle {
  const child = spawn(
    process.execPath,
    [bootstrap, "--coordinator", coordinator, "--worker", String(worker), "--listen", host],
    {
      stdio: ["pipe", "pipe", "pipe"],
      // The run's secret in the environment, which only this user can read (/proc/PID/environ is
      // private), never in the arguments, which every user can.
      env: {
        ...process.env,
        EGL_PLATFORM: process.env.EGL_PLATFORM ?? "surfaceless",
        [secretVariable]: secret.toString("hex"),
      },
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

/**
 * Resolves when every worker has connected, proved the run's secret and said hello. A connection
 * that does not prove it is closed and logged; one that proves it but does not say a valid hello
 * (a wrong pid, a worker already greeted) is closed too.
 */
export function greetAll(
  server: Server,
  handles: readonly WorkerHandle[],
  secret: Buffer,
  log: (line: string) => void,
): Promise<void> {
  return new Promise((resolve) => {
    let greeted = 0;
    guardServer(server, {
      secret,
      limits: () => controlLimits,
      onRefused: (from, reason) => log(`refused a connection from ${from}: ${reason}`),
      onAccepted: (connection: FrameConnection) => {
        connection.start((frame) => {
          const handle = handles[frame.header.worker as number];
          if (
            frame.header.type !== "hello" ||
            handle === undefined ||
            handle.control !== undefined ||
            frame.header.pid !== handle.pid
          ) {
            log(`closed a connection that proved the secret but sent no valid hello`);
            connection.destroy();
            return;
          }
          handle.control = connection;
          handle.peer = { host: frame.header.host as string, port: frame.header.port as number };
          connection.onFrame = () => {};
          greeted++;
          if (greeted === handles.length) resolve();
        });
      },
    });
  });
}

/** What a ready worker says of its problem: the coordinator sizes its frame limits from it. */
export interface ReadyProblem {
  readonly dimension: number;
  readonly batchSize: number;
}

/** Sends the set-up and the peer table to one worker; resolves when it is ready. */
export function setUp(
  handle: WorkerHandle,
  problem: ProblemSource,
  device: DeviceKind,
  peers: readonly PeerAddress[],
  vectorLength: number | undefined,
): Promise<ReadyProblem> {
  const control = handle.control!;
  return new Promise((resolve, reject) => {
    control.onFrame = (frame) => {
      if (frame.header.type === "ready") {
        handle.label = String(frame.header.label);
        const { dimension, batchSize } = frame.header;
        if (!Number.isSafeInteger(dimension) || !Number.isSafeInteger(batchSize)) {
          reject(new WorkerStartError(`worker ${handle.worker} said ready without its problem's sizes`));
          return;
        }
        resolve({ dimension: dimension as number, batchSize: batchSize as number });
      } else if (frame.header.type === "failed") {
        reject(
          new WorkerStartError(`worker ${handle.worker} could not start: ${String(frame.header.message)}`),
        );
      }
    };
    control.send({ type: "peers", peers });
    control.send({ type: "setup", problem, device, ...(vectorLength === undefined ? {} : { vectorLength }) });
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
