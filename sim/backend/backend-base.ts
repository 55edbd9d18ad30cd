import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { MemoryCategory } from "../cluster/memory.ts";
import type { GossipGraph } from "../cluster/topology/gossip-graph.ts";
import {
  Mailbox,
  type Process,
  type RandomStream,
  Signal,
  type Waitable,
  type Yieldable,
} from "../engine/index.ts";
import type { Problem } from "../problems/problem.ts";
import type { StateVector } from "../schedules/definition.ts";
import type { ComputeClock, Control, Group, Message, Worker } from "../schedules/worker.ts";
import type { WorkloadContext } from "../workload.ts";
import { type Meeting, Rendezvous } from "./rendezvous.ts";
import { BoundWorker, type IndexedBackend } from "./worker-handle.ts";

/**
 * A backend: what every worker's handle (`Worker`) is completed against. Indexed by worker, and never
 * seen by schedules: each schedule process holds the handle of its own worker only (`handle(w)`).
 *
 * What every backend does the same way lives here: the per-worker state vectors and receive pools
 * (with their memory accounting), mailboxes, collective matching, shards, randomness, processes and
 * counters. A backend says only how long things take and when they complete: the compute clock,
 * gradients, memory work, a vector's transfer, and a collective once its last member has arrived.
 */
export abstract class BackendBase implements IndexedBackend {
  readonly workers: number;
  readonly kernels: Kernels;
  readonly problem: Problem;
  readonly graph: GossipGraph;
  /** Every worker in ring order, one array per run. */
  readonly everyone: Group;
  protected readonly ctx: WorkloadContext;
  protected readonly bytesPerVector: number;
  private readonly vectors: Map<string, Vec>[];
  private readonly pools: Vec[][];
  private readonly mailboxes: Map<string, Mailbox<Message<Vec | Control>>>[];
  private readonly rendezvous: Rendezvous;
  private readonly handles: BoundWorker[];

  constructor(ctx: WorkloadContext, kernels: Kernels, problem: Problem, state: readonly StateVector[]) {
    this.ctx = ctx;
    this.kernels = kernels;
    this.problem = problem;
    this.graph = ctx.gossip;
    this.workers = ctx.devices.length;
    this.everyone = Array.from({ length: this.workers }, (_, w) => w);
    this.bytesPerVector = problem.dimension * problem.bytesPerValue;
    this.pools = ctx.devices.map(() => []);
    this.mailboxes = ctx.devices.map(() => new Map());
    this.rendezvous = new Rendezvous((meeting) => this.startMeeting(meeting));
    const initial = problem.initialParameters(kernels);
    this.vectors = ctx.devices.map((_, w) => {
      const named = new Map<string, Vec>();
      for (const v of state) {
        const vec = kernels.alloc(problem.dimension);
        // Parameters start at the problem's initial point on every worker; everything else at zero.
        if (v.category === "parameters") kernels.copy(vec, initial);
        named.set(v.name, vec);
        ctx.memory.allocate(w, v.category, this.bytesPerVector);
      }
      return named;
    });
    this.handles = ctx.devices.map((_, w) => new BoundWorker(this, w));
  }

  /** Worker w's handle: the only way a schedule reaches this backend. */
  handle(w: number): Worker {
    return this.handles[w]!;
  }

  abstract computeSlot(worker: number, clock: ComputeClock): Generator<Yieldable, void, unknown>;
  abstract gradient(worker: number, x: Vec, g: Vec, samples?: number): Waitable<number>;
  abstract meanGradientTime(worker: number, samples?: number): number;
  abstract memoryWork(worker: number, bytes: number): Waitable<void>;
  /** Moves `bytes` from src to dst (`copy` is the receiver's copy, already filled); `arrived` runs when they are there. */
  protected abstract transfer(src: number, dst: number, bytes: number, copy: Vec, arrived: () => void): void;
  /** The last member of a collective arrived: run it, apply its numbers, then succeed `meeting.done`. */
  protected abstract startMeeting(meeting: Meeting): void;

  now(): number {
    return this.ctx.sim.now;
  }

  vector(worker: number, name: string): Vec {
    const vec = this.vectors[worker]?.get(name);
    if (vec === undefined) throw new RangeError(`worker ${worker} has no state vector named "${name}"`);
    return vec;
  }

  scratch(worker: number): Vec {
    this.ctx.memory.allocate(worker, "buffers", this.bytesPerVector);
    return this.kernels.alloc(this.problem.dimension);
  }

  send(src: number, dst: number, tag: string, payload: Vec | Control, bytes?: number): Waitable<void> {
    if (!(Number.isInteger(dst) && dst >= 0 && dst < this.workers)) {
      throw new RangeError(`worker ${src} sent to worker ${dst}; expected one of 0 … ${this.workers - 1}`);
    }
    const delivered = new Signal<void>();
    const mailbox = this.mailbox(dst, tag);
    if (!isVector(payload)) {
      // A control message (a rank, a count): a few bytes, delivered at once, out of band.
      mailbox.put({ from: src, value: payload });
      delivered.succeed();
      return delivered;
    }
    if (dst === src) throw new RangeError(`worker ${src} sent a vector to itself`);
    // Read now: the sender may change its vector while the copy travels.
    const copy = this.take(dst);
    this.kernels.copy(copy, payload);
    this.count(src, "messagesSent");
    this.transfer(src, dst, bytes ?? this.bytesPerVector, copy, () => {
      this.count(dst, "messagesReceived");
      mailbox.put({ from: src, value: copy });
      delivered.succeed();
    });
    return delivered;
  }

  receive<T extends Vec | Control>(worker: number, tag: string): Waitable<Message<T>> {
    return this.mailbox(worker, tag).get() as Waitable<Message<T>>;
  }

  release(worker: number, received: Vec): void {
    this.pools[worker]!.push(received);
  }

  allReduce(
    worker: number,
    group: Group,
    x: Vec,
    op: "sum" | "mean",
    range?: readonly [number, number],
  ): Waitable<void> {
    if (range !== undefined && !(0 <= range[0] && range[0] <= range[1] && range[1] <= x.length)) {
      throw new RangeError(`all-reduce range [${range}] outside a vector of ${x.length}`);
    }
    const kind = op === "sum" ? "all-reduce-sum" : "all-reduce-mean";
    return this.rendezvous.join(worker, group, kind, x, range) as Waitable<void>;
  }

  allReduceScalar(worker: number, group: Group, value: number): Waitable<number> {
    return this.rendezvous.join(worker, group, "all-reduce-scalar", value) as Waitable<number>;
  }

  reduceScatter(worker: number, group: Group, x: Vec): Waitable<void> {
    return this.rendezvous.join(worker, group, "reduce-scatter", x) as Waitable<void>;
  }

  allGather(worker: number, group: Group, x: Vec): Waitable<void> {
    return this.rendezvous.join(worker, group, "all-gather", x) as Waitable<void>;
  }

  shardOf(rank: number, size: number, length: number): readonly [number, number] {
    const per = Math.ceil(length / size);
    return [Math.min(length, rank * per), Math.min(length, (rank + 1) * per)];
  }

  /** Worker w's stream for `purpose`: `schedule:purpose` indexed by w, then the indices. */
  random(worker: number, purpose: string, indices: readonly number[]): RandomStream {
    return this.ctx.streams.stream(`schedule:${purpose}`, worker, ...indices);
  }

  spawn(name: string, body: Generator<Yieldable, void, unknown>): Process<void> {
    return this.ctx.processes.spawn(name, body);
  }

  count(worker: number, name: string, delta = 1): void {
    this.ctx.counter(name)[worker]! += delta;
  }

  allocate(worker: number, category: MemoryCategory, bytes: number): void {
    this.ctx.memory.allocate(worker, category, bytes);
  }

  /** A receive buffer on `worker`: a released one if any, else a new one (counted as buffers). */
  protected take(worker: number): Vec {
    const pooled = this.pools[worker]!.pop();
    if (pooled !== undefined) return pooled;
    this.ctx.memory.allocate(worker, "buffers", this.bytesPerVector);
    return this.kernels.alloc(this.problem.dimension);
  }

  private mailbox(worker: number, tag: string): Mailbox<Message<Vec | Control>> {
    const boxes = this.mailboxes[worker]!;
    let box = boxes.get(tag);
    if (box === undefined) {
      box = new Mailbox();
      boxes.set(tag, box);
    }
    return box;
  }
}

function isVector(payload: Vec | Control): payload is Vec {
  return typeof payload === "object" && "length" in payload && "data" in payload;
}
