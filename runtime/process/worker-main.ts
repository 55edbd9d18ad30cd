/**
 * One worker process of the multi-process runtime: it owns one device (a CPU or WebGPU
 * WorkerCompute), builds the scenario's problem itself from the seed the coordinator sends (so its
 * data shards are the coordinator's, bit for bit), and serves the coordinator's requests over TCP.
 *
 *     node runtime/process/worker-bootstrap.mjs --coordinator HOST:PORT --worker I [--listen HOST]
 *
 * It listens for peers on `--listen` (loopback by default; a port the system chooses), connects to
 * the coordinator and says hello. It exits when told to stop, and also when the coordinator's
 * connection or its stdin pipe closes: a coordinator that dies, even by SIGKILL, leaves no orphan.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import { RandomStreams } from "../../sim/engine/random.ts";
import { buildProblem } from "../../sim/scenario/registry/problem-kinds.ts";
import type { WorkerCompute } from "../compute/worker-compute.ts";
import { FrameConnection } from "./connection.ts";
import type { Frame } from "./framing.ts";
import { openLocalCompute } from "./local-compute.ts";
import type { DeviceKind, PeerAddress, ProblemSource } from "./protocol.ts";

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
  private readonly outgoing = new Map<number, FrameConnection>();
  /** Gradients run one at a time: a device's buffers are reused from one gradient to the next. */
  private gradients: Promise<void> = Promise.resolve();
  private stopping = false;
  private readonly peerServer: Server;

  constructor(args: Arguments, controlSocket: Socket, peerServer: Server) {
    this.args = args;
    this.peerServer = peerServer;
    this.control = new FrameConnection(controlSocket, (frame) => this.onControl(frame));
    this.control.onClose(() => void this.stop(0));
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

  /** An incoming peer connection: transfers for this worker. */
  acceptPeer(socket: Socket): void {
    const connection = new FrameConnection(socket, (frame) => {
      if (frame.header.type !== "transfer") return;
      // dst's copy goes back to the coordinator, which keeps every worker's vectors on the host.
      this.control.send({ type: "arrived", id: frame.header.id, src: frame.header.src }, frame.parts);
    });
    connection.onClose(() => {});
  }

  private onControl(frame: Frame): void {
    const header = frame.header;
    switch (header.type) {
      case "setup":
        void this.setup(header.problem as ProblemSource, header.device as DeviceKind);
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
    }
  }

  private async setup(source: ProblemSource, device: DeviceKind): Promise<void> {
    try {
      const problem = buildProblem(source.spec, source.workers, new RandomStreams(source.seed));
      this.compute = await openLocalCompute(device, problem, this.args.worker);
      this.control.send({ type: "ready", label: this.compute.label });
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
    if (connection === undefined || connection.isClosed) {
      const created = new FrameConnection(connect(address.port, address.host), () => {});
      created.onClose((reason) => {
        if (this.outgoing.get(dst) === created) this.outgoing.delete(dst);
        if (!this.stopping) process.stderr.write(`peer connection to worker ${dst} closed: ${reason}\n`);
      });
      created.send({ type: "peer-hello", from: this.args.worker });
      this.outgoing.set(dst, created);
      connection = created;
    }
    if (!connection.send({ type: "transfer", id, src: this.args.worker }, frame.parts)) {
      fail(`peer connection to worker ${dst} is closed`);
    }
  }

  async stop(code: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    try {
      await this.compute?.close();
    } finally {
      for (const connection of this.outgoing.values()) connection.destroy();
      this.peerServer.close();
      this.control.destroy();
      process.exit(code);
    }
  }
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  // The coordinator holds our stdin pipe: its end means the coordinator is gone.
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
  let worker: WorkerProcess | undefined;
  const peerServer = createServer((socket) => worker?.acceptPeer(socket));
  await new Promise<void>((resolve, reject) => {
    peerServer.once("error", reject);
    peerServer.listen(0, args.listenHost, resolve);
  });
  const address = peerServer.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const socket = connect(args.coordinatorPort, args.coordinatorHost);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  worker = new WorkerProcess(args, socket, peerServer);
  worker.hello(port);
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
