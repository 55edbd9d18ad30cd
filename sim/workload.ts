import type { Device } from "./cluster/device.ts";
import type { FailureListener } from "./cluster/failures.ts";
import type { MemoryLedger } from "./cluster/memory.ts";
import type { Network } from "./cluster/network/network.ts";
import type { GossipGraph } from "./cluster/topology/gossip-graph.ts";
import type { Processes, RandomStreams, Simulation, Timers } from "./engine/index.ts";
import type { ModelSeries } from "./metrics/model-series.ts";
import type { TimeLedger } from "./metrics/time-ledger.ts";
import type { CollectiveResult } from "./result.ts";

/**
 * What runs in a run, and what it may touch. Two kinds of thing run: a training schedule (an algorithm
 * of sim/schedules/, written against one worker's handle and run by backend/schedule-workload.ts), or
 * traffic (sim/traffic/: timing-only generators — point-to-point streams, gossip exchanges, collectives —
 * that move sizes through the network model and train nothing).
 */

/** A collective that ran, as reported in results. */
export type CollectiveRun = CollectiveResult;

/**
 * Everything a built-in workload may touch: the engine's services, the cluster (devices, network,
 * gossip graph, failure state) and the observers (time ledger, memory, counters). Built by `run.ts`.
 */
export interface WorkloadContext {
  readonly sim: Simulation;
  readonly timers: Timers;
  readonly processes: Processes;
  readonly streams: RandomStreams;
  readonly devices: readonly Device[];
  readonly network: Network;
  readonly gossip: GossipGraph;
  readonly ledger: TimeLedger;
  readonly memory: MemoryLedger;
  /** Simulated-time horizon of the run (Infinity when the run ends by draining). */
  readonly horizon: number;
  /** Whether the scenario has failures at all (lets workloads skip failure bookkeeping). */
  readonly hasFailures: boolean;
  /** Whether device `w` is down right now. */
  isDown(worker: number): boolean;
  /** Per-worker counter named `name` (created on first use), reported in results. */
  counter(name: string): Float64Array;
  recordCollective(run: CollectiveRun): void;
}

/** A built-in workload: starts its processes; reacts to failures if the scenario has any. */
export interface Workload extends Partial<FailureListener> {
  start(ctx: WorkloadContext): void;
  /** Called once the run has stopped: final samples and time series. */
  finish?(): { readonly series?: ModelSeries };
}
