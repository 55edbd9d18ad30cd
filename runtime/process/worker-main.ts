/**
 * One worker process of the multi-process runtime: it owns one device (a CPU or WebGPU
 * WorkerCompute), builds the scenario's problem itself from the seed the coordinator sends (so its
 * data shards are the coordinator's, bit for bit), and serves the coordinator's requests over TCP.
 *
 *     node runtime/process/worker-bootstrap.mjs --coordinator HOST:PORT --worker I [--listen HOST]
 *
 * It listens for peers on `--listen` (loopback by default; a port the system chooses), connects to
 * the coordinator and says hello. The run's secret comes in the environment (auth.ts), and every
 * connection, to the coordinator or between workers, proves it before any frame is read. It exits when told to stop, and also when the coordinator's
 * connection or its stdin pipe closes: a coordinator that dies, even by SIGKILL, leaves no orphan.
 */
import { connect, createServer, type Server } from "node:net";
import { RandomStreams } from "../../sim/engine/random.ts";
import { buildProblem } from "../../sim/scenario/registry/problem-kinds.ts";
import type { WorkerCompute } from "../compute/worker-compute.ts";
import { takeSecretFromEnvironment } from "./auth.ts";
import { FrameConnection } from "./connection.ts";
import { controlLimits, type Frame, type FrameLimits } from "./framing.ts";
import { guardServer } from "./gate.ts";
import { openLocalCompute } from "./local-compute.ts";
import {
  type DeviceKind,
  frameLimitsOf,
  type PeerAddress,
  type ProblemSource,
  vectorBoundsOf,
} from "./protocol.ts";

interface Arguments {
  readonly coordinatorHost: string;
  readonly coordinatorPort: number;
  readonly worker: number;
  readonly listenHost: string;
}

function parseArguments(argv: readonly string[]): Arguments {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const coordinator = value("--coordinator") ?? "";
  const split = coordinator.lastIndexOf(":");
  const port = Number(coordinator.slice(split + 1));
  const worker = Number(value("--worker"));
  if (split < 0 || !Number.isInteger(port) || !Number.isInteger(worker)) {
    throw new Error(
      `usage: worker-main --coordinator HOST:PORT --worker I [--listen HOST]; got ${argv.join(" ")}`,
    );
  }
  return {
    coordinatorHost: coordinator.slice(0, split),
    coordinatorPort: port,
    worker,
    listenHost: value("--listen") ?? "127.0.0.1",
  };
}

class WorkerProcess {
  private readonly args: Arguments;
  private readonly control: FrameConnection;
  private compute: WorkerCompute | undefined;
  private peers: readonly PeerAddress[] = [];
  /** Outgoing peer connections, by destination worker, opened on the first transfer. */
  private readonly outgoing = new Map<number, Promise<FrameConnection>>();
  /** Control-sized until the problem is built, then sized for its vectors. */
  limits: FrameLimits = controlLimits;
  private refused = 0;
  /** Gradients run one at a time: a device's buffers are reused from one gradient to the next. */
  private gradients: Promise<void> = Promise.resolve();
  private stopping = false;
  private readonly peerServer: Server;
  private readonly secret: Buffer;

  constructor(args: Arguments, control: FrameConnection, peerServer: Server, secret: Buffer) {
    this.args = args;
    this.peerServer = peerServer;
    this.secret = secret;
    this.control = control;
    this.control.onClose((reason) => {
      if (reason.startsWith("bad frame")) process.stderr.write(`coordinator's connection: ${reason}\n`);
      void this.stop(reason.startsWith("bad frame") ? 1 : 0);
    });
    control.start((frame) => this.onControl(frame));
  }

  hello(port: number): void {
    this.control.send({
      type: "hello",
      worker: this.args.worker,
      pid: process.pid,
      host: this.args.listenHost,
      port,
    });
  }

  /** An incoming peer connection that proved the secret: transfers for this worker. */
  acceptPeer(connection: FrameConnection): void {
    let from: number | undefined;
    connection.start((frame) => {
      const { type, src, id } = frame.header;
      if (from === undefined && type === "peer-hello" && Number.isInteger(frame.header.from)) {
        from = frame.header.from as number;
      } else if (type === "transfer" && src === from && Number.isInteger(id) && frame.parts.length === 1) {
        // dst's copy goes back to the coordinator, which keeps every worker's vectors on the host.
        this.control.send({ type: "arrived", id, src }, frame.parts);
      } else {
        this.violation(`a peer (worker ${String(from)}) sent an unexpected '${String(type)}' frame`);
      }
    });
    connection.onClose((reason) => {
      if (reason.startsWith("bad frame")) this.violation(`a peer (worker ${String(from)}): ${reason}`);
    });
  }

  /** A connection to the peer server that did not prove the run's secret: closed, and reported. */
  refusePeer(from: string, reason: string): void {
    this.refused++;
    // Every one is told (the coordinator counts them); the coordinator's log thins them out.
    this.control.send({ type: "refused", from, reason, count: this.refused });
  }

  /** A peer that proved the secret broke the protocol: nothing it sent can be trusted, the run stops. */
  private violation(message: string): void {
    if (this.stopping) return;
    process.stderr.write(`${message}\n`);
    this.control.send({ type: "violation", message });
    void this.stop(1);
  }

  private onControl(frame: Frame): void {
    const header = frame.header;
    switch (header.type) {
      case "setup":
        void this.setup(
          header.problem as ProblemSource,
          header.device as DeviceKind,
          header.vectorLength as number | undefined,
        );
        return;
      case "peers":
        this.peers = header.peers as PeerAddress[];
        return;
      case "gradient":
        this.gradients = this.gradients.then(() =>
          this.gradient(header.id as number, header.worker as number, frame),
        );
        return;
      case "send":
        this.forward(header.id as number, header.dst as number, frame);
        return;
      case "stop":
        void this.stop(0);
        return;
      default:
        this.violation(`the coordinator sent an unexpected '${String(header.type)}' frame`);
    }
  }

  private async setup(source: ProblemSource, device: DeviceKind, vectorLength?: number): Promise<void> {
    try {
      const problem = buildProblem(source.spec, source.workers, new RandomStreams(source.seed));
      this.compute = await openLocalCompute(device, problem, this.args.worker);
      // From now on frames may carry vectors: as long as the problem's, never longer.
      this.limits = frameLimitsOf(vectorBoundsOf(vectorLength ?? problem.dimension, problem.batchSize));
      this.control.limits = this.limits;
      const { dimension, batchSize } = problem;
      this.control.send({ type: "ready", label: this.compute.label, dimension, batchSize });
    } catch (error) {
      this.control.send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
      await this.stop(1);
    }
  }

  private async gradient(id: number, worker: number, frame: Frame): Promise<void> {
    const compute = this.compute;
    const x = frame.parts[0] as Float32Array;
    const batch = frame.header.batch ? (frame.parts[1] as Int32Array) : undefined;
    try {
      if (compute === undefined) throw new Error("gradient before setup");
      const g = new Float32Array(x.length);
      const loss = await compute.gradient(worker, x, batch, g);
      this.control.send({ type: "gradient-done", id }, [g, Float64Array.of(loss)]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.control.send({ type: "gradient-failed", id, message });
    }
  }

  /** Sends a vector straight to worker `dst`'s process; dst reports its arrival to the coordinator. */
  private forward(id: number, dst: number, frame: Frame): void {
    const fail = (message: string) => this.control.send({ type: "send-failed", id, message });
    const address = this.peers[dst];
    if (address === undefined) {
      fail(`no peer address for worker ${dst}`);
      return;
    }
    let connection = this.outgoing.get(dst);
    if (connection === undefined) {
      const created = FrameConnection.open(
        connect(address.port, address.host),
        this.secret,
        "client",
        this.limits,
      ).then((opened) => {
        opened.start(() => this.violation(`worker ${dst} sent a frame on a connection that only sends`));
        opened.onClose((reason) => {
          if (this.outgoing.get(dst) === created) this.outgoing.delete(dst);
          if (!this.stopping) process.stderr.write(`peer connection to worker ${dst} closed: ${reason}\n`);
        });
        opened.send({ type: "peer-hello", from: this.args.worker });
        return opened;
      });
      // A failed handshake fails this transfer (below); the next one tries again.
      created.catch(() => {
        if (this.outgoing.get(dst) === created) this.outgoing.delete(dst);
      });
      this.outgoing.set(dst, created);
      connection = created;
    }
    // In order: every transfer to dst waits on the same connection.
    connection.then(
      (opened) => {
        if (!opened.send({ type: "transfer", id, src: this.args.worker }, frame.parts)) {
          fail(`peer connection to worker ${dst} is closed`);
        }
      },
      (error: unknown) =>
        fail(`connection to worker ${dst}: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async stop(code: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    try {
      await this.compute?.close();
    } finally {
      for (const connection of this.outgoing.values())
        void connection.then(
          (c) => c.destroy(),
          () => {},
        );
      this.peerServer.close();
      this.control.destroy();
      process.exit(code);
    }
  }
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  const secret = takeSecretFromEnvironment();
  // The coordinator holds our stdin pipe: its end means the coordinator is gone.
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
  let worker: WorkerProcess | undefined;
  const peerServer = createServer();
  guardServer(peerServer, {
    secret,
    limits: () => worker?.limits ?? controlLimits,
    onAccepted: (connection) => {
      if (worker === undefined) connection.destroy();
      else worker.acceptPeer(connection);
    },
    onRefused: (from, reason) => worker?.refusePeer(from, reason),
  });
  await new Promise<void>((resolve, reject) => {
    peerServer.once("error", reject);
    peerServer.listen(0, args.listenHost, resolve);
  });
  const address = peerServer.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const control = await FrameConnection.open(
    connect(args.coordinatorPort, args.coordinatorHost),
    secret,
    "client",
    controlLimits,
  );
  worker = new WorkerProcess(args, control, peerServer, secret);
  worker.hello(port);
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
