import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { MemoryCategory } from "../cluster/memory.ts";
import type { GossipGraph } from "../cluster/topology/gossip-graph.ts";
import type { Process, ProcessBody, RandomStream, Waitable, Yieldable } from "../engine/index.ts";
import type { Problem } from "../problems/problem.ts";
import type { ComputeClock, Control, Group, Message, Worker } from "../schedules/worker.ts";

/** What a handle needs of its backend: the handle's methods, indexed by worker (BackendBase has them). */
export interface IndexedBackend {
  readonly workers: number;
  readonly everyone: Group;
  readonly kernels: Kernels;
  readonly problem: Problem;
  readonly graph: GossipGraph;
  now(): number;
  vector(worker: number, name: string): Vec;
  scratch(worker: number): Vec;
  computeSlot(worker: number, clock: ComputeClock): Generator<Yieldable, void, unknown>;
  gradient(worker: number, x: Vec, g: Vec, samples?: number): Waitable<number>;
  meanGradientTime(worker: number, samples?: number): number;
  memoryWork(worker: number, bytes: number): Waitable<void>;
  send(src: number, dst: number, tag: string, payload: Vec | Control, bytes?: number): Waitable<void>;
  receive<T extends Vec | Control>(worker: number, tag: string): Waitable<Message<T>>;
  release(worker: number, received: Vec): void;
  allReduce(
    worker: number,
    group: Group,
    x: Vec,
    op: "sum" | "mean",
    range?: readonly [number, number],
  ): Waitable<void>;
  allReduceScalar(worker: number, group: Group, value: number): Waitable<number>;
  reduceScatter(worker: number, group: Group, x: Vec): Waitable<void>;
  allGather(worker: number, group: Group, x: Vec): Waitable<void>;
  shardOf(rank: number, size: number, length: number): readonly [number, number];
  random(worker: number, purpose: string, indices: readonly number[]): RandomStream;
  spawn(name: string, body: ProcessBody<void>): Process<void>;
  count(worker: number, name: string, delta?: number): void;
  allocate(worker: number, category: MemoryCategory, bytes: number): void;
}

/** Worker `rank`'s handle on a backend: every call is the backend's, for this worker only. */
export class BoundWorker implements Worker {
  readonly rank: number;
  readonly workers: number;
  readonly everyone: Group;
  readonly kernels: Kernels;
  readonly problem: Problem;
  readonly graph: GossipGraph;
  private readonly backend: IndexedBackend;

  constructor(backend: IndexedBackend, rank: number) {
    this.backend = backend;
    this.rank = rank;
    this.workers = backend.workers;
    this.everyone = backend.everyone;
    this.kernels = backend.kernels;
    this.problem = backend.problem;
    this.graph = backend.graph;
  }

  now(): number {
    return this.backend.now();
  }

  sleep(seconds: number): number {
    return seconds;
  }

  vector(name: string): Vec {
    return this.backend.vector(this.rank, name);
  }

  scratch(): Vec {
    return this.backend.scratch(this.rank);
  }

  computeSlot(clock: ComputeClock): Generator<Yieldable, void, unknown> {
    return this.backend.computeSlot(this.rank, clock);
  }

  gradient(x: Vec, g: Vec, samples?: number): Waitable<number> {
    return this.backend.gradient(this.rank, x, g, samples);
  }

  meanGradientTime(samples?: number): number {
    return this.backend.meanGradientTime(this.rank, samples);
  }

  memoryWork(bytes: number): Waitable<void> {
    return this.backend.memoryWork(this.rank, bytes);
  }

  send(dst: number, tag: string, payload: Vec | Control, bytes?: number): Waitable<void> {
    return this.backend.send(this.rank, dst, tag, payload, bytes);
  }

  receive<T extends Vec | Control = Vec>(tag: string): Waitable<Message<T>> {
    return this.backend.receive<T>(this.rank, tag);
  }

  release(received: Vec): void {
    this.backend.release(this.rank, received);
  }

  allReduce(group: Group, x: Vec, op: "sum" | "mean", range?: readonly [number, number]): Waitable<void> {
    return this.backend.allReduce(this.rank, group, x, op, range);
  }

  allReduceScalar(group: Group, value: number): Waitable<number> {
    return this.backend.allReduceScalar(this.rank, group, value);
  }

  reduceScatter(group: Group, x: Vec): Waitable<void> {
    return this.backend.reduceScatter(this.rank, group, x);
  }

  allGather(group: Group, x: Vec): Waitable<void> {
    return this.backend.allGather(this.rank, group, x);
  }

  shardOf(rank: number, size: number, length: number): readonly [number, number] {
    return this.backend.shardOf(rank, size, length);
  }

  random(purpose: string, ...indices: number[]): RandomStream {
    return this.backend.random(this.rank, purpose, indices);
  }

  spawn(name: string, body: ProcessBody<void>): Process<void> {
    return this.backend.spawn(name, body);
  }

  count(name: string, delta = 1): void {
    this.backend.count(this.rank, name, delta);
  }

  allocate(category: MemoryCategory, bytes: number): void {
    this.backend.allocate(this.rank, category, bytes);
  }
}
