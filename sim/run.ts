import type { Kernels } from "../kernels/kernels.ts";
import { buildDevices, downIntervals } from "./assemble/devices.ts";
import { buildNetwork, buildPlatformFor } from "./assemble/network.ts";
import { buildWorkload } from "./assemble/workload.ts";
import type { BackendFactory } from "./backend/schedule-workload.ts";
import type { Device } from "./cluster/device.ts";
import { FailureInjector } from "./cluster/failures.ts";
import { MemoryLedger } from "./cluster/memory.ts";
import type { Network } from "./cluster/network/network.ts";
import { requireConnected } from "./cluster/topology/connectivity.ts";
import { type GossipGraph, gossipGraphOf } from "./cluster/topology/gossip-graph.ts";
import { graphFromEdges } from "./cluster/topology/graph.ts";
import { Processes, RandomStreams, Simulation, TimeOverflowError, Timers } from "./engine/index.ts";
import { inputErrorIn, ModelLimitError } from "./errors.ts";
import { seriesDiverged } from "./metrics/model-series.ts";
import { type RecordOptions, RunRecorder } from "./metrics/recording.ts";
import { TimeLedger } from "./metrics/time-ledger.ts";
import type { Problem } from "./problems/problem.ts";
import type { RunResult } from "./result.ts";
import { buildTopology } from "./scenario/registry/topology-kinds.ts";
import type { ClusterSpec, Scenario } from "./scenario/types.ts";
import type { CollectiveRun, Workload, WorkloadContext } from "./workload.ts";

/** The engine a run is built on: its event loop and its timers (the caller's, or a fresh pair). */
export interface RunEngine {
  readonly sim: Simulation;
  readonly timers: Timers;
}

export interface RunOptions {
  /**
   * The engine to build the run on, from the caller (the runtime passes its wall-clock driver's, as
   * SimPy's RealtimeEnvironment is built by its user); a fresh simulation in virtual time by default.
   */
  readonly engine?: RunEngine;
  /** Called every `progressEvery` events (and at the end) with the simulated time reached. */
  readonly onProgress?: (simTime: number, events: number) => void;
  readonly progressEvery?: number;
  /** Sees every dispatched event (tests of determinism, traces). Slows the run. */
  readonly observe?: (time: number, kind: number, a: number, b: number) => void;
  /** Numeric kernels to use instead of the CPU ones (an instrumented copy, for benchmarks). */
  readonly kernels?: Kernels;
  /**
   * Record each worker's timeline and each link's load for a trace, read back with
   * `recordingOf(result)` (metrics/recording.ts). Off by default, and free when off.
   */
  readonly record?: boolean | RecordOptions;
  /** The backend training schedules run on: the simulator's unless the runtime passes its own. */
  readonly backend?: BackendFactory;
  /**
   * The scenario's problem, already built (by `buildScenarioProblem`): the runtime needs it before the
   * run to open and calibrate its devices, and the data is then not generated twice.
   */
  readonly problem?: Problem;
}

/**
 * A scenario built into a simulation that has not started running: the devices, the gossip graph,
 * the platform and network, the problem and the schedule's processes all exist, so every input error
 * that only shows while building (a disconnected gossip graph, a topology that does not fit the
 * workers, a problem the schedule cannot train) has been thrown.
 */
export interface BuiltRun {
  readonly scenario: Scenario;
  readonly sim: Simulation;
  readonly horizon: number;
  readonly devices: readonly Device[];
  readonly network: Network;
  readonly ledger: TimeLedger;
  readonly memory: MemoryLedger;
  readonly counters: ReadonlyMap<string, Float64Array>;
  readonly collectives: readonly CollectiveRun[];
  readonly workload: Workload;
  /** Present when `options.record` asked for a recording (its ledger and network are the ones above). */
  readonly recorder: RunRecorder | undefined;
}

/**
 * Builds everything a run of `scenario` needs, up to its first event. Throws `InputError` for inputs
 * that only turn out wrong while building. `dtsim check` stops here; `runScenario` goes on.
 */
export function buildRun(scenario: Scenario, options: RunOptions = {}): BuiltRun {
  const { cluster } = scenario;
  const horizon = scenario.stop.time ?? Number.POSITIVE_INFINITY;
  const streams = new RandomStreams(scenario.seed);
  const engine = options.engine ?? freshEngine(cluster.workers);
  const { sim, timers } = engine;
  if (options.observe !== undefined) sim.observe(options.observe);
  const processes = new Processes(sim);
  const devices = buildDevices(cluster, streams, horizon);
  const gossip = buildGossipGraph(cluster, streams);
  const platform = buildPlatformFor(cluster.network, cluster.workers, streams);
  const built = buildNetwork(cluster.network, sim, platform);
  const recorder = options.record ? new RunRecorder(cluster.workers, built, options.record) : undefined;
  const network = recorder?.network ?? built;
  const ledger = recorder?.ledger ?? new TimeLedger(cluster.workers);
  const memory = new MemoryLedger(devices.map((d) => d.spec.memory));
  const counters = new Map<string, Float64Array>();
  const collectives: CollectiveRun[] = [];
  const workload = buildWorkload(scenario, devices, streams, {
    ...(options.kernels === undefined ? {} : { kernels: options.kernels }),
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    ...(options.problem === undefined ? {} : { problem: options.problem }),
  });
  const intervals = downIntervals(cluster);
  let injector: FailureInjector | undefined;

  const ctx: WorkloadContext = {
    sim,
    timers,
    processes,
    streams,
    devices,
    network,
    gossip,
    ledger,
    memory,
    horizon,
    hasFailures: intervals.length > 0,
    isDown: (worker) => injector?.isDown(worker) ?? false,
    counter: (name) => {
      let counter = counters.get(name);
      if (counter === undefined) {
        counter = new Float64Array(cluster.workers);
        counters.set(name, counter);
      }
      return counter;
    },
    recordCollective: (run) => collectives.push(run),
  };
  if (intervals.length > 0) {
    injector = new FailureInjector(cluster.workers, intervals, timers, {
      onDown: (worker) => workload.onDown?.(worker),
      onUp: (worker) => workload.onUp?.(worker),
    });
  }
  workload.start(ctx);
  return {
    scenario,
    sim,
    horizon,
    devices,
    network,
    ledger,
    memory,
    counters,
    collectives,
    workload,
    recorder,
  };
}

/**
 * Runs a decoded scenario to its stop condition and returns the results. Deterministic: the same
 * scenario (seed included) gives the same result, bit for bit, apart from `wallTime` and `eventsPerSecond`.
 * Throws `InputError` for inputs that only turn out wrong while building (a disconnected gossip graph,
 * more workers than a topology allows).
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const built = buildRun(scenario, options);
  const wallStart = performance.now();
  const stopReason = reportingLimits(() =>
    runInChunks(built.sim, built.horizon, scenario.stop.events, options, scenario.cluster.workers),
  );
  const wallTime = (performance.now() - wallStart) / 1000;
  return finishRun(built, stopReason, wallTime);
}

/**
 * The result of a built run that has stopped: closes the ledger, takes the workload's last samples
 * and gathers the report. Shared by the simulator and the runtime, so both give the same contract.
 */
export function finishRun(built: BuiltRun, stopReason: string, wallTime: number): RunResult {
  const { scenario, sim, devices, network, ledger, memory, counters, collectives, workload, recorder } =
    built;
  ledger.close(sim.now);
  const { series } = workload.finish?.() ?? {};

  const result: RunResult = {
    scenario: scenario.name,
    seed: scenario.seed,
    simTime: sim.now,
    events: sim.events,
    wallTime,
    eventsPerSecond: wallTime > 0 ? sim.events / wallTime : 0,
    // A training run whose metrics went NaN or infinite diverged, whatever else stopped it.
    stopReason: series !== undefined && seriesDiverged(series) ? "diverged" : stopReason,
    workers: devices.map((_, w) => ({
      id: w,
      computeTime: ledger.computeTime[w]!,
      commTime: ledger.commTime[w]!,
      idleTime: ledger.idleTime[w]!,
      exposedCommTime: ledger.exposedCommTime[w]!,
      bytesSent: network.stats.bytesSent[w]!,
      bytesReceived: network.stats.bytesReceived[w]!,
      counts: Object.fromEntries([...counters].map(([name, values]) => [name, values[w]!])),
    })),
    collectives: collectives.map((c) => ({ ...c })),
    network: {
      model: scenario.cluster.network.model,
      linkBytesTotal: network.stats.linkBytes.reduce((sum, b) => sum + b, 0),
      transfers: network.stats.completed,
    },
    memory: devices.map((_, w) => memory.verdict(w)),
    ...(series === undefined ? {} : { series }),
  };
  recorder?.finish(result);
  return result;
}

/** A simulation in virtual time, its queue sized for the cluster (it grows as needed). */
function freshEngine(workers: number): RunEngine {
  const sim = new Simulation(Math.max(1024, 4 * workers));
  return { sim, timers: new Timers(sim) };
}

function buildGossipGraph(cluster: ClusterSpec, streams: RandomStreams): GossipGraph {
  const path = "cluster.topology";
  const built = buildTopology(cluster.topology, cluster.workers, streams.stream("gossip-topology"), path);
  if ("edgeU" in built) {
    requireConnected(built, path);
    return gossipGraphOf(built);
  }
  // A sequence may be disconnected at any one time (DADAO's time-varying graphs are), but the
  // workers must be able to reach each other over the whole cycle.
  const union = graphFromEdges(
    cluster.workers,
    built.graphs.flatMap((g) => Array.from(g.edgeU, (u, e) => [u, g.edgeV[e]!] as const)),
  );
  requireConnected(union, path);
  return gossipGraphOf(built);
}

/**
 * Runs `run`, turning what the scenario asked beyond the model's limits into the InputError it is:
 * one wrapped by a process or a collective is unwrapped, simulated time past float64 gets its words.
 */
export function reportingLimits<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    const input = inputErrorIn(error);
    if (input !== undefined) throw input;
    const overflow = timeOverflowIn(error);
    if (overflow !== undefined) {
      throw new ModelLimitError(
        "simulated time",
        `Infinity (a ${overflow.kindName} event after t = ${overflow.now} s)`,
        "durations, sizes and rates whose sums stay within float64 (look for a huge latency, size, count or horizon)",
      );
    }
    throw error;
  }
}

function timeOverflowIn(error: unknown): TimeOverflowError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 16; e = e.cause, depth++) {
    if (e instanceof TimeOverflowError) return e;
  }
  return undefined;
}

/** Runs to the stop condition, pausing every `progressEvery` events to report progress. */
function runInChunks(
  sim: Simulation,
  horizon: number,
  maxEvents: number | undefined,
  options: RunOptions,
  workers: number,
): string {
  const every =
    options.onProgress === undefined ? Number.POSITIVE_INFINITY : (options.progressEvery ?? 1_000_000);
  const budget = maxEvents ?? Number.POSITIVE_INFINITY;
  const stall = stallLimit(workers);
  let stalled = 0;
  for (;;) {
    const before = sim.now;
    const chunk = Math.min(every, budget - sim.events, STALL_CHUNK);
    const reason = sim.run({ until: horizon, maxEvents: chunk });
    options.onProgress?.(sim.now, sim.events);
    if (reason !== "events") return reason;
    if (sim.events >= budget) return "events";
    // "Stuck": the clock moved by less than about 5000 ulps over the whole chunk, so the delays being
    // added are at float64's resolution at this time (each adds nothing or one ulp).
    stalled = sim.now - before <= before * STUCK_FRACTION ? stalled + chunk : 0;
    const pace = sim.events * (horizon / sim.now);
    if (sim.events >= PACE_AFTER && horizon !== Number.POSITIVE_INFINITY && pace > MAX_EVENTS_AT_PACE) {
      throw new ModelLimitError(
        "stop.time",
        horizon,
        `a horizon the run can reach: at its pace so far (${sim.events} events for ${sim.now} s) it needs about ${pace.toPrecision(2)} events, over ${MAX_EVENTS_AT_PACE} (look for a rate too high or a duration too short)`,
      );
    }
    if (stalled >= stall) {
      throw new ModelLimitError(
        "simulated time",
        `stuck near t = ${sim.now} s for ${stalled} events`,
        "durations long enough to move the clock (float64 resolves about t × 2e-16 s at time t: look for a rate too high or a duration too short for the horizon)",
      );
    }
  }
}

/**
 * A run that, at the pace its clock has kept so far, needs more events than this to reach its stop
 * time would take months of CPU: a rate of 1e100 exchanges per second is accepted by the schema but
 * cannot be simulated, and used to look like a hang (issue #15). The pace is judged only after
 * PACE_AFTER events, past any start-up burst.
 */
const MAX_EVENTS_AT_PACE = 1e15;
const PACE_AFTER = 10_000_000;

/** The relative advance of the clock over a chunk below which the clock counts as stuck. */
const STUCK_FRACTION = 1e-12;

/** Events per chunk of the run loop: the granularity of the stall check (a chunk costs ~0.1 s). */
const STALL_CHUNK = 1_000_000;

/**
 * How many events in a row at one same instant mean the clock is stuck: a delay below float64's
 * resolution at the current time (a rate of 1e100 per second) adds nothing, and the run would go on
 * forever at that instant (issue #15's hang). A legitimate instant can hold many events — at theory
 * fidelity a collective completes at once, about 2n² steps for n workers — so the bar grows as n².
 */
function stallLimit(workers: number): number {
  return Math.max(10_000_000, 100 * workers * workers);
}
