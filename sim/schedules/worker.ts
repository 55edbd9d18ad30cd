import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { MemoryCategory } from "../cluster/memory.ts";
import type { GossipGraph } from "../cluster/topology/gossip-graph.ts";
import type { Process, ProcessBody, RandomStream, Waitable, Yieldable } from "../engine/index.ts";
import type { Problem } from "../problems/problem.ts";

/**
 * The one thing a schedule sees: a handle on ONE worker (SimGrid s4u's actor acting as itself). Through
 * it a schedule's process reaches its own worker's vectors, device, random streams, counters and
 * memory, and other workers only by messages (`send` to their mailbox, `receive` from its own) and by
 * collectives it joins as a member. No method takes another worker's index except as a message's
 * destination or a collective's group. That is what lets the same schedule run in the simulator (every
 * worker in one address space, virtual time) and on the runtime (each worker its own process, its
 * vectors on its own device).
 *
 * Waiting: operations that take time return a Waitable; the process `yield`s it (or `yield*` it, for a
 * typed result). `sleep` returns a number to `yield`.
 *
 * Vector kernels (`kernels`) act on this worker's own vectors and are queued on its device in order,
 * as WebGPU queues work: a schedule never waits for them, because everything that depends on them (a
 * gradient, a send, a collective, a read) is ordered after them on the same device. Numbers come back
 * to the host only through waitables (a gradient's loss, a scalar all-reduce), never synchronously.
 */
export interface Worker {
  /** This worker's index, 0 … workers − 1. */
  readonly rank: number;
  /** How many workers the run has. */
  readonly workers: number;
  /** Every worker, in ring order: the data-parallel group (one array per run, shared). */
  readonly everyone: Group;
  /** Vector kernels on this worker's device. */
  readonly kernels: Kernels;
  /** What is trained, as facts: sizes, batch size, and the constants schedules derive step sizes from. */
  readonly problem: ProblemFacts;
  /** Who may exchange with whom (the scenario's cluster.topology), possibly varying in time. */
  readonly graph: GossipGraph;

  /** Current time in seconds (simulated, or wall-clock since the start on real devices). */
  now(): number;
  /** Seconds to `yield` to sleep (a plain number: no allocation). */
  sleep(seconds: number): number;

  /** This worker's vector `name`, declared by the schedule's `state`, allocated before `start`. */
  vector(name: string): Vec;
  /** A scratch vector of the problem's dimension, charged to this worker's buffers. */
  scratch(): Vec;

  /**
   * Waits until this worker's device may start its next gradient. The theory backend (the papers'
   * continuous-time model) has instantaneous gradients, timed by a compute clock instead: Poisson of
   * rate one per gradient unit (`poisson`, the gossip papers' model) or one tick per unit (`periodic`,
   * the synchronous methods' unit of time); this waits for its next tick. The systems backend paces a
   * device by its computations' own durations: this returns at once, without an event.
   */
  computeSlot(clock: ComputeClock): Generator<Yieldable, void, unknown>;
  /**
   * A stochastic gradient of this worker's objective at `x`, written into `g`; completes with the
   * mini-batch loss (NaN in shape-only runs). `samples` defaults to the problem's batch size. x is read
   * at the start; the systems backend takes the device's time for the FLOPs of `samples` samples.
   */
  gradient(x: Vec, g: Vec, samples?: number): Waitable<number>;
  /** Expected seconds of one gradient on this worker's device; 1 in the theory backend (its unit). */
  meanGradientTime(samples?: number): number;
  /** Device time of a memory-bound kernel of `bytes` (an optimizer step, a copy): run it, then wait. */
  memoryWork(bytes: number): Waitable<void>;

  /**
   * Sends to worker `dst`'s mailbox under `tag`. A vector payload is read now and travels through the
   * network model (`bytes` defaults to its size on the wire; instantaneous in the theory backend); the
   * receiver gets a copy it owns until it passes it to `release`. Any other payload is a control
   * message of a few bytes (a rank, a count), delivered at once, out of band. Completes on delivery.
   */
  send(dst: number, tag: string, payload: Vec | Control, bytes?: number): Waitable<void>;
  /** The next message under `tag` in this worker's mailbox (waits for one). */
  receive<T extends Vec | Control = Vec>(tag: string): Waitable<Message<T>>;
  /** Gives a received vector back to this worker's pool. */
  release(received: Vec): void;

  /**
   * Collectives are rendezvous of members: each member calls with its own vector; the collective runs
   * when the last member has called (matched by group and by how many collectives each member has
   * called on it, as NCCL requires), and every member's call completes when it ends. all-reduce writes
   * the sum (or mean) into each member's `x` (`range` [lo, hi) restricts it to a slice: a gradient
   * bucket); reduce-scatter the sum on the member's shard (`shardOf`), the rest unspecified;
   * all-gather every member's shard from its owner.
   */
  allReduce(group: Group, x: Vec, op: "sum" | "mean", range?: readonly [number, number]): Waitable<void>;
  /** All-reduce of a host scalar (a micro-batch count), on the wire as one value of the model's type. */
  allReduceScalar(group: Group, value: number): Waitable<number>;
  reduceScatter(group: Group, x: Vec): Waitable<void>;
  allGather(group: Group, x: Vec): Waitable<void>;
  /** [start, end) of the shard owned by the member at position `rank` of a group of `size`. */
  shardOf(rank: number, size: number, length: number): readonly [number, number];

  /** An independent random stream of this worker for `purpose` (and indices), derived from the seed. */
  random(purpose: string, ...indices: number[]): RandomStream;
  /** Starts another process of this worker (a second stream, a responder). */
  spawn(name: string, body: ProcessBody<void>): Process<void>;
  /** Adds `delta` to this worker's counter `name` (reported in results: gradients, exchanges…). */
  count(name: string, delta?: number): void;
  /** Records memory this worker holds beyond its declared vectors (communication buffers…). */
  allocate(category: MemoryCategory, bytes: number): void;
}

/**
 * What a schedule may know of the problem: its sizes and constants, not its data (the gradients of this
 * worker's own shard come through `gradient`; no other worker's data is reachable).
 */
export type ProblemFacts = Pick<
  Problem,
  "name" | "dimension" | "bytesPerValue" | "batchSize" | "numeric" | "mu" | "L" | "localMu" | "localL"
>;

/** The theory backend's compute clock (see `Worker.computeSlot`). */
export type ComputeClock = "poisson" | "periodic";

/** A collective's members, in ring order. The same array (by content) must be passed by every member. */
export type Group = readonly number[];

/** A control payload: small host values only (no vectors). */
export type Control = number | string | boolean | { readonly [key: string]: number | string | boolean };

/** What `receive` gives: who sent it, and the payload. */
export interface Message<T> {
  readonly from: number;
  readonly value: T;
}

/** Convenience for schedules: the process body type. */
export type ScheduleProcess = Generator<Yieldable, void, unknown>;

// Coordination within one worker (its own processes): a schedule reaches the engine only through this
// module, so these are re-exported here.
export { Barrier, type RandomStream, Signal, type Waitable, type Yieldable } from "../engine/index.ts";
