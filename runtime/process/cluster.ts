/**
 * Workers as OS processes: `startCluster` spawns one process per worker (worker-main.ts), each owning
 * one device, and connects them to this coordinator over TCP. The cluster then offers what the
 * runtime executor plugs in: `compute(worker)`, a WorkerCompute whose gradients run in that worker's
 * process, and `transport`, which moves vectors from one worker's process to another's over their
 * own TCP connection.
 *
 * A worker that dies while the run needs it (exit, signal, lost connection) fails every pending and
 * later request that involves it with a WorkerCrashedError, and `onCrash` listeners hear of it once;
 * the others keep serving. `close()` stops the workers cooperatively, then kills what is left.
 *
 * Every connection proves a secret made for this run (auth.ts, gate.ts); frames are bounded by the
 * problem's vectors before they are allocated (framing.ts). A worker that breaks the protocol (a
 * frame too large or malformed, an answer nobody waits for) is treated as crashed, with the reason:
 * the run stops with a report instead of applying what it sent.
 */
import { createServer } from "node:net";
import type { Transport } from "../compute/transport.ts";
import type { WorkerCompute } from "../compute/worker-compute.ts";
import { newRunSecret } from "./auth.ts";
import { WorkerCrashedError, WorkerStartError } from "./errors.ts";
import type { Frame } from "./framing.ts";
import { worthReporting } from "./gate.ts";
import { PendingRequests } from "./pending.ts";
import { ProcessTransport } from "./process-transport.ts";
import {
  type DeviceKind,
  frameLimitsOf,
  type PeerAddress,
  type ProblemSource,
  type VectorBounds,
  vectorBoundsOf,
} from "./protocol.ts";
import { RemoteCompute } from "./remote-compute.ts";
import { deviceOf, greetAll, setUp, spawnWorker, startFailure, withTimeout } from "./start-workers.ts";
import { exited, stopOne, type WorkerHandle } from "./worker-handle.ts";

export interface ClusterOptions {
  readonly workers: number;
  /** The problem every worker builds (the scenario's seed, worker count and problem section). */
  readonly problem: ProblemSource;
  /** Each worker's device: one kind for all, or one per worker. Default cpu. */
  readonly device?: DeviceKind | readonly DeviceKind[];
  /** Where the coordinator and the workers listen. Default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** How long every worker has to start, build its problem and open its device. Default 60 s. */
  readonly startTimeoutMs?: number;
  /** The last resort against a hung request (a crash is detected at once). Default 10 minutes. */
  readonly requestTimeoutMs?: number;
  /** How long `close()` waits for workers to exit after asking before it kills them. Default 5 s. */
  readonly stopGraceMs?: number;
  /** Where workers' output lines go, prefixed "[worker i] ". Default: this process's stderr. */
  readonly log?: (line: string) => void;
  /** Told once per worker that crashes while the cluster runs. */
  readonly onCrash?: (error: WorkerCrashedError) => void;
  /**
   * The longest vector a gradient or a transfer carries: frames are bounded by it. Default the
   * problem's dimension, the longest a run moves.
   */
  readonly vectorLength?: number;
}

interface GradientAnswer {
  readonly g: Float32Array;
  readonly loss: number;
}

/** A worker whose control connection closed without its process exiting is killed after this. */
const lostConnectionGraceMs = 2000;
/** How long a failed transfer waits for its destination's crash to be seen before it fails as such. */
const sendFailedGraceMs = 500;

export class ProcessCluster {
  readonly transport: Transport;
  private readonly handles: readonly WorkerHandle[];
  private readonly gradients: PendingRequests<GradientAnswer>;
  private readonly moves: PendingRequests<Float32Array>;
  private readonly crashListeners: ((error: WorkerCrashedError) => void)[] = [];
  private readonly computes: RemoteCompute[] = [];
  private closing: Promise<void> | undefined;
  private readonly stopGraceMs: number;
  private readonly log: (line: string) => void;
  /** Set once every worker is ready: the longest vector and batch a frame may carry. */
  bounds: VectorBounds = vectorBoundsOf(0, 0);
  /** Connections to the workers' peer servers that did not prove the run's secret, as they reported. */
  refusedConnections = 0;

  /** @internal Use `startCluster`. */
  constructor(
    handles: readonly WorkerHandle[],
    requestTimeoutMs: number,
    stopGraceMs: number,
    log: (line: string) => void,
  ) {
    this.handles = handles;
    this.stopGraceMs = stopGraceMs;
    this.log = log;
    this.gradients = new PendingRequests(requestTimeoutMs);
    this.moves = new PendingRequests(requestTimeoutMs);
    this.transport = new ProcessTransport((src, dst, data) => this.move(src, dst, data));
  }

  get size(): number {
    return this.handles.length;
  }

  /** The operating-system process ids of the workers, by worker. */
  get pids(): readonly number[] {
    return this.handles.map((h) => h.pid);
  }

  /** Where each worker's peer server listens (loopback by default), by worker. */
  get peerAddresses(): readonly PeerAddress[] {
    return this.handles.map((h) => h.peer!);
  }

  /** The WorkerCompute of worker `worker`: gradients run in its process. */
  compute(worker: number): WorkerCompute {
    const handle = this.handles[worker];
    if (handle === undefined) throw new RangeError(`no worker ${worker} in a cluster of ${this.size}`);
    // Made on first use: by then the worker has said what it computes on.
    this.computes[worker] ??= new RemoteCompute(
      `process ${handle.pid} / ${handle.label ?? "?"}`,
      worker,
      (w, x, batch) => this.gradient(w, x, batch),
    );
    return this.computes[worker];
  }

  /** The crash of worker `worker`, if it crashed. */
  crashOf(worker: number): WorkerCrashedError | undefined {
    return this.handles[worker]?.crash;
  }

  /** Calls `listener` once per worker crash from now on; returns the function that unsubscribes. */
  onCrash(listener: (error: WorkerCrashedError) => void): () => void {
    this.crashListeners.push(listener);
    return () => {
      const at = this.crashListeners.indexOf(listener);
      if (at >= 0) this.crashListeners.splice(at, 1);
    };
  }

  /** Stops every worker: 'stop', then up to `stopGraceMs` to exit, then SIGKILL. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.stopAll();
    return this.closing;
  }

  /** @internal Wires a ready worker's messages and its death into the cluster. */
  attach(handle: WorkerHandle): void {
    const control = handle.control!;
    control.onClose((reason) => {
      if (handle.stopping || handle.crash !== undefined) return;
      if (reason.startsWith("bad frame")) {
        this.violation(handle, reason);
        return;
      }
      // Usually the exit follows at once and reports the code or signal; if not, give up on it.
      const timer = setTimeout(() => {
        this.crashed(handle, null, null, `control connection: ${reason}`);
        handle.child.kill("SIGKILL");
      }, lostConnectionGraceMs);
      timer.unref();
      handle.child.once("exit", () => clearTimeout(timer));
    });
    handle.child.on("exit", (code, signal) => {
      if (!handle.stopping) this.crashed(handle, code, signal);
    });
  }

  /** @internal A control frame from a ready worker; anything unexpected stops it (`violation`). */
  onFrame(handle: WorkerHandle, frame: Frame): void {
    const header = frame.header;
    const id = header.id as number;
    const [first, second] = frame.parts;
    const w = handle.worker;
    let expected = true;
    switch (header.type) {
      case "gradient-done":
        expected =
          first instanceof Float32Array &&
          second instanceof Float64Array &&
          second.length === 1 &&
          this.gradients.resolveFrom(w, id, { g: first, loss: second[0]! });
        break;
      case "gradient-failed":
        expected = this.gradients.rejectFrom(w, id, new Error(`worker ${w}: ${String(header.message)}`));
        break;
      case "arrived":
        expected = first instanceof Float32Array && this.moves.resolveFrom(w, id, first);
        break;
      case "send-failed": {
        expected = this.moves.waitsFor(w, id);
        // Usually the destination died: its exit, seen a moment later, is the truer report (and
        // settles the request first, with a WorkerCrashedError).
        const error = new Error(`worker ${w}: ${String(header.message)}`);
        if (expected) setTimeout(() => this.moves.reject(id, error), sendFailedGraceMs).unref();
        break;
      }
      case "refused":
        this.refusedConnections++;
        if (worthReporting(Number(header.count)))
          this.log(
            `[worker ${w}] refused connection ${String(header.count)} to its peer port, from ${String(header.from)}: ${String(header.reason)}`,
          );
        break;
      case "violation":
        this.violation(handle, String(header.message));
        break;
      default:
        expected = false;
    }
    if (!expected) {
      this.violation(handle, `unexpected '${String(header.type)}' frame for request ${String(header.id)}`);
    }
  }

  /** A worker broke the protocol: nothing more it sends is applied, and the run stops with the reason. */
  private violation(handle: WorkerHandle, message: string): void {
    if (handle.crash !== undefined || handle.stopping) return;
    const detail = `protocol violation: ${message}`;
    this.log(`[worker ${handle.worker}] ${detail}`);
    this.crashed(handle, null, null, detail);
    handle.control?.destroy();
    handle.child.kill("SIGKILL");
  }

  private gradient(worker: number, x: Float32Array, batch: Int32Array | undefined): Promise<GradientAnswer> {
    const handle = this.usable(worker);
    if (handle instanceof Error) return Promise.reject(handle);
    const { vectorLength, batchLength } = this.bounds;
    if (x.length > vectorLength || (batch?.length ?? 0) > batchLength) {
      return Promise.reject(
        new RangeError(
          `a gradient of ${x.length} entries and a batch of ${batch?.length ?? 0}: at most ${vectorLength} and ${batchLength}`,
        ),
      );
    }
    // A snapshot: the caller may change x while the frame waits in the socket's buffer.
    const parts = batch === undefined ? [x.slice()] : [x.slice(), batch.slice()];
    return this.gradients.add(worker, `a gradient`, [], (id) => {
      handle.control!.send({ type: "gradient", id, worker, batch: batch !== undefined }, parts);
    });
  }

  private move(src: number, dst: number, data: Float32Array): Promise<Float32Array> {
    const source = this.usable(src);
    if (source instanceof Error) return Promise.reject(source);
    const destination = this.usable(dst);
    if (destination instanceof Error) return Promise.reject(destination);
    if (data.length > this.bounds.vectorLength) {
      return Promise.reject(
        new RangeError(`a transfer of ${data.length} entries: at most ${this.bounds.vectorLength}`),
      );
    }
    return this.moves.add(src, `a transfer to worker ${dst}`, [dst], (id) => {
      source.control!.send({ type: "send", id, dst }, [data]);
    });
  }

  /** The handle of a worker that can take requests, or the error to fail them with. */
  private usable(worker: number): WorkerHandle | Error {
    const handle = this.handles[worker];
    if (handle === undefined) return new RangeError(`no worker ${worker} in a cluster of ${this.size}`);
    if (handle.crash !== undefined) return handle.crash;
    if (handle.stopping) return new Error(`worker ${worker}: the cluster is closed`);
    return handle;
  }

  private crashed(
    handle: WorkerHandle,
    code: number | null,
    signal: NodeJS.Signals | null,
    detail?: string,
  ): void {
    if (handle.crash !== undefined) return;
    const error = new WorkerCrashedError(handle.worker, code, signal, performance.now(), detail);
    handle.crash = error;
    this.gradients.rejectInvolving(handle.worker, error);
    this.moves.rejectInvolving(handle.worker, error);
    for (const listener of [...this.crashListeners]) listener(error);
  }

  private async stopAll(): Promise<void> {
    for (const handle of this.handles) {
      handle.stopping = true;
      handle.control?.send({ type: "stop" });
    }
    const closed = new Error("the cluster is closed");
    for (const handle of this.handles) {
      this.gradients.rejectInvolving(handle.worker, closed);
      this.moves.rejectInvolving(handle.worker, closed);
    }
    await Promise.all(this.handles.map((h) => stopOne(h, this.stopGraceMs)));
  }
}

/**
 * Starts `options.workers` worker processes and resolves when every one has built the problem and
 * opened its device. If one does not (it exits, fails its set-up or runs out of `startTimeoutMs`),
 * every started process is killed and the promise rejects with a WorkerStartError naming it.
 */
export async function startCluster(options: ClusterOptions): Promise<ProcessCluster> {
  if (
    !Number.isSafeInteger(options.workers) ||
    options.workers < 1 ||
    options.workers !== options.problem.workers
  ) {
    throw new RangeError(
      `workers must be ≥ 1 and equal problem.workers, got ${options.workers} and ${options.problem.workers}`,
    );
  }
  const host = options.host ?? "127.0.0.1";
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const secret = newRunSecret();
  const handles: WorkerHandle[] = [];
  for (let worker = 0; worker < options.workers; worker++) {
    handles.push(spawnWorker(worker, `${host}:${port}`, host, secret, log));
  }
  let cluster: ProcessCluster | undefined;
  let started = false;
  // 'close' rather than 'exit': by then its stderr has been read, and its last words can be quoted.
  const died = new Promise<never>((_, reject) => {
    for (const handle of handles) {
      handle.child.once("close", (code, signal) => {
        if (!started) reject(startFailure(handle, code, signal));
      });
      handle.child.once("error", (error) =>
        reject(new WorkerStartError(`worker ${handle.worker}: ${error.message}`)),
      );
    }
  });
  died.catch(() => {});
  try {
    await withTimeout(
      Promise.race([greetAll(server, handles, secret, log), died]),
      startTimeoutMs,
      handles,
      "say hello",
    );
    cluster = new ProcessCluster(
      handles,
      options.requestTimeoutMs ?? 600_000,
      options.stopGraceMs ?? 5000,
      log,
    );
    const peers: PeerAddress[] = handles.map((h) => h.peer!);
    const ready = await withTimeout(
      Promise.race([
        Promise.all(
          handles.map((h, worker) =>
            setUp(h, options.problem, deviceOf(options.device, worker), peers, options.vectorLength),
          ),
        ),
        died,
      ]),
      startTimeoutMs,
      handles,
      "open its device",
    );
    // Every worker built the same problem; the bounds are the workers' own (worker-main.ts).
    cluster.bounds = vectorBoundsOf(
      options.vectorLength ?? ready[0]!.dimension,
      Math.max(...ready.map((r) => r.batchSize)),
    );
    for (const handle of handles) handle.control!.limits = frameLimitsOf(cluster.bounds);
  } catch (error) {
    for (const handle of handles) {
      handle.stopping = true;
      handle.child.kill("SIGKILL");
    }
    await Promise.all(handles.map((h) => exited(h.child)));
    for (const handle of handles) handle.control?.destroy();
    throw error;
  } finally {
    started = true;
    server.close();
  }
  const ready = cluster;
  for (const handle of handles) {
    ready.attach(handle);
    handle.control!.onFrame = (frame) => ready.onFrame(handle, frame);
  }
  if (options.onCrash !== undefined) ready.onCrash(options.onCrash);
  return ready;
}
