import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { MemoryCategory } from "../cluster/memory.ts";
import type { GossipGraph } from "../cluster/topology/gossip-graph.ts";
import type { Process, ProcessBody, RandomStream, Waitable, Yieldable } from "../engine/index.ts";
import type { Problem } from "../problems/problem.ts";

/**
 * `theory`: the papers' continuous-time model — gradients and exchanges are instantaneous events,
 * timed only by the schedule's Poisson clocks. `systems`: gradients take the device's compute time,
 * transfers take network time and contend for links; a vector sent is read when sent and applied when
 * it arrives.
 */
export type Fidelity = "theory" | "systems";

/** A collective's members, in ring order. The same array (by content) must be passed by every member. */
export type Group = readonly number[];

/**
 * Everything a schedule may do, and nothing more: compute, vector kernels, communication, time,
 * randomness and counters. A schedule never sees the engine, the network or the devices, so the very
 * same schedule runs in the simulator (this interface completed in virtual time from the cost model)
 * and on real devices (completed when the GPU or the transfer really finishes).
 *
 * Waiting: operations that take time return a Waitable; the schedule's process `yield`s it (or
 * `yield*` it, for a typed result). `sleep` returns a number to `yield`.
 */
export interface Operations {
  readonly workers: number;
  readonly fidelity: Fidelity;
  readonly kernels: Kernels;
  readonly problem: Problem;
  /** Who may exchange with whom (the scenario's cluster.topology), possibly varying in time. */
  readonly graph: GossipGraph;

  /** Current time in seconds (simulated, or wall-clock since the start on real devices). */
  now(): number;

  /** The per-worker vector `name`, declared by the schedule's `state`, allocated before `start`. */
  vector(worker: number, name: string): Vec;
  /** A scratch vector of the problem's dimension, owned by the schedule from now on. */
  scratch(worker: number): Vec;

  /**
   * A stochastic gradient of `worker`'s objective at `x`, written into `g`; completes with the
   * mini-batch loss (NaN in shape-only runs). `samples` defaults to the problem's batch size. In
   * systems mode it takes the device's time for the FLOPs of `samples` samples; x is read at the start.
   */
  gradient(worker: number, x: Vec, g: Vec, samples?: number): Waitable<number>;
  /**
   * Expected seconds of one gradient of `samples` samples (default: the batch size) on `worker`'s
   * device, stragglers aside; 1 in theory mode, whose time unit is one gradient.
   */
  meanGradientTime(worker: number, samples?: number): number;
  /**
   * Device time for a memory-bound kernel touching `bytes` bytes (an optimizer step, a mix), charged as
   * compute: do the kernel's arithmetic, then wait for this. Completes at once in theory mode.
   */
  memoryWork(worker: number, bytes: number): Waitable<void>;

  /**
   * Sends `x` (read now) from `src` to `dst`; completes when it has arrived, with the received copy
   * (a vector the caller owns until it passes it to `release`). Instantaneous in theory mode.
   * `bytes` defaults to the vector's size on the wire.
   */
  send(src: number, dst: number, x: Vec, bytes?: number): Waitable<Vec>;
  /** Returns a received vector to the pool. */
  release(worker: number, received: Vec): void;

  /**
   * Collectives are rendezvous: each member calls with its own vector; the collective starts when the
   * last member has called (matched by the group and by how many collectives each member has called
   * on it), and every member's call completes when it ends. The result is written into each member's
   * `x`: all-reduce the sum (or mean) of all members' vectors; reduce-scatter the sum on the member's
   * shard (see `shardOf`), the rest of `x` unspecified; all-gather every member's shard from its owner.
   * The bytes on the wire are `x.length` × the problem's bytes per value (a 1-element vector carries a
   * scalar, such as ACCO's micro-batch count). `range` [lo, hi) restricts an all-reduce to that slice
   * of `x` (a gradient bucket): only it is reduced and only its bytes move; the same range on every member.
   */
  allReduce(
    worker: number,
    group: Group,
    x: Vec,
    op: "sum" | "mean",
    range?: readonly [number, number],
  ): Waitable<void>;
  reduceScatter(worker: number, group: Group, x: Vec): Waitable<void>;
  allGather(worker: number, group: Group, x: Vec): Waitable<void>;
  /** [start, end) of the shard of a `length`-vector owned by the member at position `rank` of a group of `size`. */
  shardOf(rank: number, size: number, length: number): readonly [number, number];

  /** Seconds to `yield` to sleep (a plain number: no allocation). */
  sleep(seconds: number): number;
  /** An independent random stream for `purpose` and indices, derived from the run seed. */
  random(purpose: string, ...indices: number[]): RandomStream;
  /** Starts another process (a second stream of a worker, a pairing service…). */
  spawn(name: string, body: ProcessBody<void>): Process<void>;
  /** Adds `delta` to the per-worker counter `name` (reported in results: gradients, exchanges…). */
  count(worker: number, name: string, delta?: number): void;
  /** Records memory held by `worker` beyond its declared vectors (communication buffers…). */
  allocate(worker: number, category: MemoryCategory, bytes: number): void;
}

/** A vector a schedule keeps per worker, and what memory it counts as. */
export interface StateVector {
  readonly name: string;
  readonly category: MemoryCategory;
}

/** A schedule started on some backend. */
export interface RunningSchedule {
  /** Writes worker `w`'s current model into `out` (for metrics): the value an evaluation would use now. */
  model(worker: number, out: Vec): void;
}

/**
 * An algorithm written once. `P` is its decoded parameter type (the scenario's `schedule` section).
 * `start` spawns the processes through `ops` and returns how to read each worker's model.
 */
export interface ScheduleDefinition<P> {
  readonly kind: string;
  /** One line for `dtsim schedules`. */
  readonly summary: string;
  state(params: P): readonly StateVector[];
  start(ops: Operations, params: P): RunningSchedule;
}

/** Convenience for schedules: the process body type. */
export type ScheduleProcess = Generator<Yieldable, void, unknown>;
