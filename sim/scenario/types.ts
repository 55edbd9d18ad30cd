import type { DeviceSpec } from "../cluster/device.ts";
import type { LrShape } from "../optim/lr-schedule.ts";
import type { Optimizer } from "../optim/optimizer.ts";
/**
 * A scenario after decoding: every quantity in SI base units (seconds, bytes, bytes/s, FLOP/s, FLOPs),
 * every default filled in, every cross-field rule checked. This is what the simulator consumes; the
 * file format it comes from is described by `schema.ts`.
 */
export interface Scenario {
  readonly name: string;
  /** Root of every random stream of the run. */
  readonly seed: number;
  readonly cluster: ClusterSpec;
  readonly schedule: ScheduleSpec;
  /** What a training schedule trains; absent for the timing workloads. */
  readonly problem?: ProblemSpec;
  /** real: vectors carry numbers (loss and consensus measured); shape: only sizes move (large scale). */
  readonly numerics: "real" | "shape";
  readonly stop: StopSpec;
}

export interface ClusterSpec {
  readonly workers: number;
  /** The logical gossip graph: who may exchange with whom. */
  readonly topology: TopologySpec;
  /** Defaults for every device. */
  readonly device: DeviceSpec;
  /** Per-device overrides, at most one per worker, in file order; fields left out come from `device`. */
  readonly devices: ReadonlyArray<DeviceOverride>;
  readonly stragglers: StragglerSpec;
  /** Down intervals, sorted by worker then time, never overlapping for one worker. */
  readonly failures: ReadonlyArray<FailureSpec>;
  readonly network: NetworkSpec;
}

/**
 * A fixed graph: its `kind`, a family of the topology registry (sim/scenario/registry/topologies/), and
 * that family's parameters with every default filled in (the entry's own fields say which).
 */
export interface StaticTopologySpec {
  readonly kind: string;
  readonly [parameter: string]: unknown;
}

/**
 * A fixed graph, or `time-varying`: `graphs` (fixed ones) with graphs[⌊t / period⌋ mod graphs.length]
 * in force at time t (sim/scenario/registry/topologies/time-varying.ts).
 */
export type TopologySpec = StaticTopologySpec;

// What a device is made of: the cluster model's own type (SI units, documented there).

export type { DeviceSpec, DurationFamily } from "../cluster/device.ts";

export type DeviceOverride = { readonly worker: number } & Partial<DeviceSpec>;

export interface StragglerSpec {
  readonly episodes: ReadonlyArray<StragglerEpisode>;
  readonly random?: RandomStragglers;
}

export interface StragglerEpisode {
  readonly worker: number;
  /** Slowdown ≥ 1: computes take `factor` times longer during [start, end). */
  readonly factor: number;
  readonly start: number;
  readonly end: number;
}

export interface RandomStragglers {
  /** Episodes per second per worker (Poisson). */
  readonly rate: number;
  /** Mean episode length in seconds (exponentially distributed). */
  readonly duration: number;
  readonly factor: number;
}

export interface FailureSpec {
  readonly worker: number;
  readonly at: number;
  /** Seconds down; absent means the worker never comes back. */
  readonly duration?: number;
}

/**
 * `cluster.network`: what every layout shares, plus the chosen layout's own fields with their defaults
 * filled in (an entry of the layout registry, sim/scenario/registry/layouts/, says which).
 */
export interface NetworkSpec {
  /** A registered network model (sim/scenario/registry/network-models/): alpha-beta, flow. */
  readonly model: string;
  /** A registered physical layout: switch, graph, hierarchical. */
  readonly layout: string;
  /** NIC / cable bandwidth, bytes/s. */
  readonly bandwidth: number;
  /** Per-link latency, seconds. */
  readonly latency: number;
  readonly duplex: "full" | "half";
  readonly [layoutField: string]: unknown;
}

/** What one gradient costs: a mean time, or FLOPs divided by the device's effective FLOP rate. */
export type ComputeCost =
  | { readonly kind: "time"; readonly seconds: number }
  | { readonly kind: "flops"; readonly flops: number };

export type CollectiveKind = "all-reduce" | "reduce-scatter" | "all-gather" | "broadcast";
export type CollectiveAlgorithm = "ring" | "tree" | "halving-doubling" | "closed-form";

/** `count` collectives of `bytes` each over `group`, back to back with `gap` seconds between them. */
export interface AllreduceSchedule {
  readonly kind: "allreduce";
  readonly count: number;
  readonly bytes: number;
  readonly collective: CollectiveKind;
  readonly algorithm: CollectiveAlgorithm;
  /** Distinct worker ids; every worker when the file gives none. The first member is a broadcast's root. */
  readonly group: ReadonlyArray<number>;
  readonly gap: number;
}

export interface P2PTransfer {
  readonly src: number;
  readonly dst: number;
  readonly bytes: number;
  readonly at: number;
}

/** Poisson arrivals over the whole cluster, each between a uniform random src ≠ dst. */
export interface RandomTransfers {
  /** Transfers in all; absent means until the stop time. */
  readonly count?: number;
  readonly bytes: number;
  /** Arrivals per second. */
  readonly rate: number;
}

export interface P2PSchedule {
  readonly kind: "p2p";
  /** Sorted by `at` (stable). */
  readonly transfers: ReadonlyArray<P2PTransfer>;
  readonly random?: RandomTransfers;
}

/**
 * Every worker computes gradients back to back and, on its own Poisson clock of rate
 * `rate / mean compute time`, sends `bytes` to a uniformly random neighbour in cluster.topology.
 */
export interface GossipTimingSchedule {
  readonly kind: "gossip-timing";
  readonly compute: ComputeCost;
  /** Expected exchanges per gradient, per worker. */
  readonly rate: number;
  readonly bytes: number;
}

/** What every training schedule has. */
export interface TrainingCommon {
  readonly fidelity: "theory" | "systems";
  /** Simulated seconds between two metric samples. */
  readonly sampleEvery: number;
}

export interface SgdSpec {
  readonly lr: number;
  /** How lr varies over each worker's steps; constant when absent. */
  readonly schedule?: LrShape;
  readonly momentum: number;
  readonly weightDecay: number;
}

export interface GossipSchedule extends TrainingCommon {
  readonly kind: "gossip";
  /** Expected exchanges per gradient, per worker. */
  readonly rate: number;
  readonly sgd: SgdSpec;
}

export interface A2cid2Schedule extends TrainingCommon {
  readonly kind: "a2cid2";
  readonly rate: number;
  readonly sgd: SgdSpec;
  /** systems mode: each worker's Poisson clock, or the authors' availability matching (§3.4). */
  readonly pairing: "poisson" | "matching";
  /** theory: both ends mix before exchanging; code: each sends its pre-mixing x (§3.3). */
  readonly variant: "theory" | "code";
  readonly eta?: number;
  readonly alphaTilde?: number;
}

export interface DadaoSchedule extends TrainingCommon {
  readonly kind: "dadao";
  /** Communication events per unit time over the whole network; default √(2χ₁χ₂) on L/|E|. */
  readonly commRate?: number;
  /** Step sizes from the local worst-case constants (the authors' code) or the global ones. */
  readonly constants: "local" | "global";
}

export type OptimizerSpec = Optimizer;

/** The synchronous family: DDP, ZeRO-1, DPU, ACCO. */
export interface SynchronousSchedule extends TrainingCommon {
  readonly kind: "allreduce-sgd" | "zero1" | "dpu" | "acco";
  readonly optimizer: OptimizerSpec;
  /** Micro-batches each worker accumulates per optimizer step. */
  readonly accumulation: number;
  /** allreduce-sgd: gradient buckets all-reduced during the backward pass (1: after it). */
  readonly buckets: number;
  /** dpu, acco: synchronous steps before the method starts. */
  readonly warmupSteps: number;
}

/** Schedules that train a model on `Scenario.problem`. */
export type TrainingSchedule = GossipSchedule | A2cid2Schedule | DadaoSchedule | SynchronousSchedule;

/** Discriminated by `kind`. */
export type ScheduleSpec = AllreduceSchedule | P2PSchedule | GossipTimingSchedule | TrainingSchedule;

/**
 * The objective a training schedule works on: its `kind`, an entry of the problem registry
 * (sim/scenario/registry/problems/), and that kind's fields with every default filled in.
 */
export type ProblemSpec = { readonly kind: string; readonly [field: string]: unknown };

export type ScheduleKind = ScheduleSpec["kind"];

export interface StopSpec {
  /** Simulated-time horizon, seconds. */
  readonly time?: number;
  /** Cap on processed events. */
  readonly events?: number;
}
