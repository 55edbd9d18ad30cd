import { CpuKernels } from "../../../kernels/cpu.ts";
import type { Kernels, Vec } from "../../../kernels/kernels.ts";
import { TheoryBackend } from "../../../sim/backend/theory-backend.ts";
import type { Device } from "../../../sim/cluster/device.ts";
import { MemoryLedger } from "../../../sim/cluster/memory.ts";
import type { Network } from "../../../sim/cluster/network/network.ts";
import { gossipGraphOf } from "../../../sim/cluster/topology/gossip-graph.ts";
import type { Graph } from "../../../sim/cluster/topology/graph.ts";
import { Processes, RandomStreams, Simulation, Timers } from "../../../sim/engine/index.ts";
import { TimeLedger } from "../../../sim/metrics/time-ledger.ts";
import type { Problem } from "../../../sim/problems/problem.ts";
import type { ScheduleDefinition, WorkerModel } from "../../../sim/schedules/definition.ts";
import type { WorkloadContext } from "../../../sim/workload.ts";

/**
 * A test double: every gradient is exactly zero, so a gossip schedule run on it is pure gossip (the
 * SGD step x −= lr·(0 + 0·x) leaves x bit for bit as it was). One evaluation per gradient clock tick.
 */
export class ZeroGradientProblem implements Problem {
  readonly name = "zero-gradient";
  readonly dimension: number;
  readonly bytesPerValue = 4;
  readonly flopsPerSample = 1;
  readonly batchSize = 1;
  readonly workers: number;
  readonly numeric = true;

  constructor(dimension: number, workers: number) {
    this.dimension = dimension;
    this.workers = workers;
  }

  initialParameters(kernels: Kernels): Vec {
    return kernels.alloc(this.dimension);
  }

  gradient(_worker: number, _x: Vec, g: Vec): number {
    g.data!.fill(0);
    return 0;
  }

  loss(): number {
    return 0;
  }
}

/** A schedule started in theory mode on a graph, with per-worker initial vectors, advanced by hand. */
export interface TheoryRun {
  /** The backend (indexed by worker: tests read any worker's state through it). */
  readonly ops: TheoryBackend;
  /** Each worker's model reader, as `start` returned it. */
  readonly running: readonly WorkerModel[];
  /** Runs every event up to time t (inclusive); the clock is then t. */
  advance(t: number): void;
  /** Worker w's model (as the metrics read it), in float64. */
  model(w: number): Float64Array;
  /** Worker w's state vector `name`, in float64. */
  read(w: number, name: string): Float64Array;
  count(name: string): Float64Array;
}

export interface TheoryRunOptions<P, C> {
  readonly definition: ScheduleDefinition<P, C>;
  readonly params: P;
  readonly graph: Graph;
  readonly seed: number;
  /** x of worker w at time 0 (length = dimension). */
  readonly initial: (w: number) => ArrayLike<number>;
  /** Overwrites state vectors after `start` (x̃ of A²CiD², say), before anything runs. */
  readonly afterStart?: (w: number, name: string) => ArrayLike<number> | undefined;
  readonly dimension: number;
  readonly problem?: Problem;
}

/**
 * Builds the simulator's own theory backend over a minimal context (theory mode touches no
 * device or network), so that tests can start a schedule from any per-worker state: the scenario path
 * starts every worker at the problem's one initial point.
 */
export function theoryRun<P, C>(options: TheoryRunOptions<P, C>): TheoryRun {
  const { graph, seed, dimension } = options;
  const n = graph.n;
  const sim = new Simulation(1024);
  const timers = new Timers(sim);
  const processes = new Processes(sim);
  const counters = new Map<string, Float64Array>();
  const counter = (name: string) => {
    let c = counters.get(name);
    if (c === undefined) {
      c = new Float64Array(n);
      counters.set(name, c);
    }
    return c;
  };
  const ctx: WorkloadContext = {
    sim,
    timers,
    processes,
    streams: new RandomStreams(seed),
    devices: Array.from({ length: n }, () => ({}) as Device),
    network: {} as Network,
    gossip: gossipGraphOf(graph),
    ledger: new TimeLedger(n),
    memory: new MemoryLedger(Array.from({ length: n }, () => 1e12)),
    horizon: Number.POSITIVE_INFINITY,
    hasFailures: false,
    isDown: () => false,
    counter,
    recordCollective: () => {},
  };
  const kernels = new CpuKernels();
  const problem = options.problem ?? new ZeroGradientProblem(dimension, n);
  const state = options.definition.state(options.params);
  const ops = new TheoryBackend(ctx, kernels, problem, state);
  for (let w = 0; w < n; w++) ops.vector(w, "x").data!.set(options.initial(w));
  const { definition, params } = options;
  const constants = definition.constants?.({ workers: n, problem, graph: ctx.gossip }, params) as C;
  const running = ops.everyone.map((w) => definition.start(ops.handle(w), params, constants));
  if (options.afterStart !== undefined) {
    for (let w = 0; w < n; w++) {
      for (const v of state) {
        const values = options.afterStart(w, v.name);
        if (values !== undefined) ops.vector(w, v.name).data!.set(values);
      }
    }
  }
  const buffer = kernels.alloc(dimension);
  return {
    ops,
    running,
    advance: (t) => {
      sim.run({ until: t });
    },
    model: (w) => {
      running[w]!.model(buffer);
      return Float64Array.from(buffer.data!);
    },
    read: (w, name) => Float64Array.from(ops.vector(w, name).data!),
    count: (name) => counter(name),
  };
}

/** Sample mean and standard deviation (n − 1) of each column of `rows`. */
export function columnStats(rows: readonly Float64Array[]): { mean: Float64Array; sd: Float64Array } {
  const k = rows[0]!.length;
  const mean = new Float64Array(k);
  const sd = new Float64Array(k);
  for (const r of rows) for (let c = 0; c < k; c++) mean[c]! += r[c]! / rows.length;
  for (const r of rows) for (let c = 0; c < k; c++) sd[c]! += (r[c]! - mean[c]!) ** 2 / (rows.length - 1);
  for (let c = 0; c < k; c++) sd[c] = Math.sqrt(sd[c]!);
  return { mean, sd };
}
