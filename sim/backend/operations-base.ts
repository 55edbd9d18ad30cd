import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { MemoryCategory } from "../cluster/memory.ts";
import type { GossipGraph } from "../cluster/topology/gossip-graph.ts";
import type { Process, ProcessBody, RandomStream, Waitable } from "../engine/index.ts";
import type { Problem } from "../problems/problem.ts";
import type { Fidelity, Group, Operations, StateVector } from "../schedules/operations.ts";
import type { WorkloadContext } from "../workloads/context.ts";
import { type Meeting, Rendezvous } from "./rendezvous.ts";

/**
 * What every backend's `Operations` does the same way: the per-worker state vectors and receive pools
 * (with their memory accounting), collective matching, shards, time, randomness, processes and
 * counters. A backend says only how long things take and when they complete: gradients, memory work,
 * sends, and a collective once its last member has arrived (`startMeeting`).
 */
export abstract class OperationsBase implements Operations {
  readonly workers: number;
  readonly fidelity: Fidelity;
  readonly kernels: Kernels;
  readonly problem: Problem;
  readonly graph: GossipGraph;
  protected readonly ctx: WorkloadContext;
  protected readonly bytesPerVector: number;
  private readonly vectors: Map<string, Vec>[];
  private readonly pools: Vec[][];
  private readonly rendezvous: Rendezvous;

  constructor(
    ctx: WorkloadContext,
    kernels: Kernels,
    problem: Problem,
    fidelity: Fidelity,
    state: readonly StateVector[],
  ) {
    this.ctx = ctx;
    this.kernels = kernels;
    this.problem = problem;
    this.fidelity = fidelity;
    this.graph = ctx.gossip;
    this.workers = ctx.devices.length;
    this.bytesPerVector = problem.dimension * problem.bytesPerValue;
    this.pools = ctx.devices.map(() => []);
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
  }

  abstract gradient(worker: number, x: Vec, g: Vec, samples?: number): Waitable<number>;
  abstract meanGradientTime(worker: number, samples?: number): number;
  abstract memoryWork(worker: number, bytes: number): Waitable<void>;
  abstract send(src: number, dst: number, x: Vec, bytes?: number): Waitable<Vec>;
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
    return this.rendezvous.join(worker, group, kind, x, range);
  }

  reduceScatter(worker: number, group: Group, x: Vec): Waitable<void> {
    return this.rendezvous.join(worker, group, "reduce-scatter", x);
  }

  allGather(worker: number, group: Group, x: Vec): Waitable<void> {
    return this.rendezvous.join(worker, group, "all-gather", x);
  }

  shardOf(rank: number, size: number, length: number): readonly [number, number] {
    const per = Math.ceil(length / size);
    return [Math.min(length, rank * per), Math.min(length, (rank + 1) * per)];
  }

  sleep(seconds: number): number {
    return seconds;
  }

  random(purpose: string, ...indices: number[]): RandomStream {
    return this.ctx.streams.stream(`schedule:${purpose}`, ...indices);
  }

  spawn(name: string, body: ProcessBody<void>): Process<void> {
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
}
