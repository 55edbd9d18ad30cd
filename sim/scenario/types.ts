import type { DeviceSpec } from "../cluster/device.ts";
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

/** A training algorithm (sim/schedules/) with its parameters, as its registry entry resolved them. */
export interface TrainingScheduleSpec {
  readonly kind: string;
  readonly trains: true;
  /** theory: the papers' continuous-time model; systems: compute and transfers take time. */
  readonly fidelity: "theory" | "systems";
  /** Simulated seconds between two metric samples. */
  readonly sampleEvery: number;
  /** The algorithm's own parameters (its entry's `params`). */
  readonly params: unknown;
}

/** Traffic (sim/traffic/) with its spec, as its registry entry resolved it. */
export interface TrafficScheduleSpec {
  readonly kind: string;
  readonly trains: false;
  readonly spec: unknown;
}

/** What runs: discriminated by `trains`, then by its registry entry (`kind`). */
export type ScheduleSpec = TrainingScheduleSpec | TrafficScheduleSpec;

/**
 * The objective a training schedule works on: its `kind`, an entry of the problem registry
 * (sim/scenario/registry/problems/), and that kind's fields with every default filled in.
 */
export type ProblemSpec = { readonly kind: string; readonly [field: string]: unknown };

/** A registered `schedule.kind`. */
export type ScheduleKind = string;

export interface StopSpec {
  /** Simulated-time horizon, seconds. */
  readonly time?: number;
  /** Cap on processed events. */
  readonly events?: number;
}
