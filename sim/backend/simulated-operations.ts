import type { Kernels, Vec } from "../../kernels/kernels.ts";
import { startCollective } from "../cluster/collectives/index.ts";
import type { MemoryCategory } from "../cluster/memory.ts";
import type { GossipGraph } from "../cluster/topology/gossip-graph.ts";
import {
  type Distribution,
  distributionMean,
  type Process,
  type ProcessBody,
  type RandomStream,
  type Waitable,
} from "../engine/index.ts";
import type { Problem } from "../problems/problem.ts";
import type { Fidelity, Group, Operations, StateVector } from "../schedules/operations.ts";
import type { WorkloadContext } from "../workloads/context.ts";
import { Completion } from "./completion.ts";
import { ComputeJob, DeviceJobs, TransferJob } from "./device-jobs.ts";
import { type Meeting, Rendezvous } from "./rendezvous.ts";

/**
 * The simulator's side of `Operations`: gradients take device time from the problem's FLOPs and the
 * device model, transfers go through the network model, collectives through the collective state
 * machines; in theory mode all of them complete at once (at the current time, through an event, so
 * that the order of wake-ups stays the engine's). Numbers move through `kernels` (CPU or shape-only).
 */
export class SimulatedOperations implements Operations {
  readonly workers: number;
  readonly fidelity: Fidelity;
  readonly kernels: Kernels;
  readonly problem: Problem;
  readonly graph: GossipGraph;
  private readonly ctx: WorkloadContext;
  private readonly vectors: Map<string, Vec>[];
  private readonly pools: Vec[][];
  /** Mini-batch sampling: drawn only when numbers move. */
  private readonly gradientRng: RandomStream[];
  /** Compute durations: a stream of its own, so that numeric and shape-only runs have one timeline. */
  private readonly durationRng: RandomStream[];
  private readonly computeDistributions: Map<number, Distribution>[];
  private readonly rendezvous: Rendezvous;
  private readonly bytesPerVector: number;
  /** Computes and transfers, run around device failures. */
  readonly jobs: DeviceJobs;

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
    this.gradientRng = ctx.devices.map((_, w) => ctx.streams.stream("gradient-samples", w));
    this.durationRng = ctx.devices.map((_, w) => ctx.streams.stream("compute", w));
    this.computeDistributions = ctx.devices.map(() => new Map());
    this.rendezvous = new Rendezvous((meeting) => this.startMeeting(meeting));
    this.jobs = new DeviceJobs(ctx);
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

  gradient(worker: number, x: Vec, g: Vec, samples = this.problem.batchSize): Waitable<number> {
    // Shape-only runs move no numbers, even on a problem that has them.
    const loss = this.kernels.numeric
      ? this.problem.gradient(worker, x, g, this.gradientRng[worker]!)
      : Number.NaN;
    this.count(worker, "samples", samples);
    if (this.fidelity === "theory") return this.completeNow(loss);
    const device = this.ctx.devices[worker]!;
    const distribution = this.computeDistribution(worker, samples);
    const done = new Completion(loss);
    const duration = () => device.sampleDuration(distribution, this.durationRng[worker]!);
    this.jobs.run(new ComputeJob(this.ctx, this.jobs, worker, duration, () => done.finish()));
    return done;
  }

  meanGradientTime(worker: number, samples = this.problem.batchSize): number {
    if (this.fidelity === "theory") return 1;
    const device = this.ctx.devices[worker]!;
    return distributionMean(this.computeDistribution(worker, samples)) / device.spec.speed;
  }

  memoryWork(worker: number, bytes: number): Waitable<void> {
    if (this.fidelity === "theory") return this.completeNow(undefined);
    const device = this.ctx.devices[worker]!;
    const seconds = bytes / (device.spec.memoryBandwidth * device.spec.speed);
    const done = new Completion<void>(undefined);
    this.jobs.run(
      new ComputeJob(
        this.ctx,
        this.jobs,
        worker,
        () => seconds,
        () => done.finish(),
      ),
    );
    return done;
  }

  send(src: number, dst: number, x: Vec, bytes = this.bytesPerVector): Waitable<Vec> {
    const copy = this.take(dst);
    this.kernels.copy(copy, x);
    this.count(src, "messagesSent");
    const arrived = () => {
      this.count(dst, "messagesReceived");
    };
    if (this.fidelity === "theory") return this.completeNow(copy, arrived);
    const done = new Completion(copy, arrived);
    this.jobs.run(new TransferJob(this.ctx, this.jobs, src, dst, bytes, () => done.finish()));
    return done;
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

  /** A waitable completed by an event at the current time (theory mode: instantaneous, but ordered). */
  private completeNow<T>(value: T, then?: (value: T) => void): Waitable<T> {
    const done = new Completion(value, then);
    this.ctx.timers.at(this.ctx.sim.now, done);
    return done;
  }

  private take(worker: number): Vec {
    const pooled = this.pools[worker]!.pop();
    if (pooled !== undefined) return pooled;
    this.ctx.memory.allocate(worker, "buffers", this.bytesPerVector);
    return this.kernels.alloc(this.problem.dimension);
  }

  private computeDistribution(worker: number, samples: number): Distribution {
    const cache = this.computeDistributions[worker]!;
    let distribution = cache.get(samples);
    if (distribution === undefined) {
      const device = this.ctx.devices[worker]!;
      const flops = this.problem.flopsPerSample * samples;
      distribution = device.computeDistribution(flops / (device.spec.peakFlops * device.spec.efficiency));
      cache.set(samples, distribution);
    }
    return distribution;
  }

  /** The last member arrived: run the collective (or not, in theory mode), then apply its numbers. */
  private startMeeting(meeting: Meeting): void {
    const finish = () => {
      applyCollective(meeting, this.kernels, (rank, size, length) => this.shardOf(rank, size, length));
      meeting.done.succeed();
    };
    if (this.fidelity === "theory") {
      this.ctx.timers.at(this.ctx.sim.now, { onTimer: finish });
      return;
    }
    const { sim, ledger } = this.ctx;
    const start = sim.now;
    for (const w of meeting.group) ledger.commStart(w, start);
    const kind =
      meeting.op === "reduce-scatter"
        ? "reduce-scatter"
        : meeting.op === "all-gather"
          ? "all-gather"
          : "all-reduce";
    // The vectors' size on the wire (the whole model for model-sized vectors), or the all-reduced slice.
    const range = meeting.range;
    const values = range === undefined ? meeting.vectors[0]!.length : range[1] - range[0];
    const bytes = values * this.problem.bytesPerValue;
    startCollective(
      sim,
      this.ctx.network,
      { kind, algorithm: "ring", group: meeting.group, bytes },
      {
        onCollectiveDone: () => {
          for (const w of meeting.group) ledger.commEnd(w, sim.now);
          this.ctx.recordCollective({
            kind,
            algorithm: "ring",
            bytes,
            groupSize: meeting.group.length,
            start,
            end: sim.now,
          });
          finish();
        },
      },
    );
  }
}

/** The numbers of a completed collective, written into each member's vector (CPU vectors only). */
function applyCollective(
  meeting: Meeting,
  kernels: Kernels,
  shardOf: (rank: number, size: number, length: number) => readonly [number, number],
): void {
  if (!kernels.numeric) return;
  const arrays = meeting.vectors.map((v) => v!.data!);
  const size = arrays.length;
  const length = arrays[0]!.length;
  if (meeting.op === "all-gather") {
    for (let owner = 0; owner < size; owner++) {
      const [lo, hi] = shardOf(owner, size, length);
      const source = arrays[owner]!.subarray(lo, hi);
      for (let r = 0; r < size; r++) if (r !== owner) arrays[r]!.set(source, lo);
    }
    return;
  }
  const [from, to] = meeting.range ?? [0, length];
  const sum = new Float64Array(length);
  for (const a of arrays) for (let i = from; i < to; i++) sum[i]! += a[i]!;
  if (meeting.op === "all-reduce-mean") for (let i = from; i < to; i++) sum[i]! /= size;
  if (meeting.op === "reduce-scatter") {
    for (let r = 0; r < size; r++) {
      const [lo, hi] = shardOf(r, size, length);
      for (let i = lo; i < hi; i++) arrays[r]![i] = sum[i]!;
    }
    return;
  }
  for (const a of arrays) for (let i = from; i < to; i++) a[i] = sum[i]!;
}
