import type { Kernels, Vec } from "../../kernels/kernels.ts";
import { startCollective } from "../cluster/collectives/index.ts";
import type { FailureListener } from "../cluster/failures.ts";
import {
  type Distribution,
  distributionMean,
  type RandomStream,
  type Waitable,
  type Yieldable,
} from "../engine/index.ts";
import type { Problem } from "../problems/problem.ts";
import type { StateVector } from "../schedules/definition.ts";
import type { WorkloadContext } from "../workload.ts";
import { collectiveOnWire, completeCollective } from "./apply-collective.ts";
import { BackendBase } from "./backend-base.ts";
import { Completion } from "./completion.ts";
import { ComputeJob, DeviceJobs, TransferJob } from "./device-jobs.ts";
import type { Meeting } from "./rendezvous.ts";

/**
 * The simulator's systems backend: gradients take device time from the problem's FLOPs and the device
 * model, transfers go through the network model, collectives through the collective state machines,
 * all around device failures. Numbers move through `kernels` (CPU or shape-only).
 */
export class SystemsBackend extends BackendBase implements FailureListener {
  /** Mini-batch sampling: drawn only when numbers move. */
  private readonly gradientRng: RandomStream[];
  /** Compute durations: a stream of its own, so that numeric and shape-only runs have one timeline. */
  private readonly durationRng: RandomStream[];
  private readonly computeDistributions: Map<number, Distribution>[];
  /** Computes and transfers, run around device failures. */
  readonly jobs: DeviceJobs;

  constructor(ctx: WorkloadContext, kernels: Kernels, problem: Problem, state: readonly StateVector[]) {
    super(ctx, kernels, problem, state);
    this.gradientRng = ctx.devices.map((_, w) => ctx.streams.stream("gradient-samples", w));
    this.durationRng = ctx.devices.map((_, w) => ctx.streams.stream("compute", w));
    this.computeDistributions = ctx.devices.map(() => new Map());
    this.jobs = new DeviceJobs(ctx);
  }

  onDown(worker: number): void {
    this.jobs.onDown(worker);
  }

  onUp(worker: number): void {
    this.jobs.onUp(worker);
  }

  /** A device is paced by its computations' durations: nothing to wait for, and no event. */
  *computeSlot(): Generator<Yieldable, void, unknown> {}

  gradient(worker: number, x: Vec, g: Vec, samples = this.problem.batchSize): Waitable<number> {
    // Shape-only runs move no numbers, even on a problem that has them.
    const loss = this.kernels.numeric
      ? this.problem.gradient(worker, x, g, this.gradientRng[worker]!)
      : Number.NaN;
    this.count(worker, "samples", samples);
    const device = this.ctx.devices[worker]!;
    const distribution = this.computeDistribution(worker, samples);
    const done = new Completion(loss);
    const duration = () => device.sampleDuration(distribution, this.durationRng[worker]!);
    this.jobs.run(new ComputeJob(this.ctx, this.jobs, worker, duration, () => done.finish()));
    return done;
  }

  meanGradientTime(worker: number, samples = this.problem.batchSize): number {
    const device = this.ctx.devices[worker]!;
    return distributionMean(this.computeDistribution(worker, samples)) / device.spec.speed;
  }

  memoryWork(worker: number, bytes: number): Waitable<void> {
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

  protected transfer(src: number, dst: number, bytes: number, _copy: Vec, arrived: () => void): void {
    this.jobs.run(new TransferJob(this.ctx, this.jobs, src, dst, bytes, arrived));
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

  /** The last member arrived: run the collective over the network, then apply its numbers. */
  protected startMeeting(meeting: Meeting): void {
    const { sim, ledger } = this.ctx;
    const start = sim.now;
    for (const w of meeting.group) ledger.commStart(w, start);
    const { kind, bytes } = collectiveOnWire(meeting, this.problem.bytesPerValue);
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
          completeCollective(meeting, this.kernels, (rank, size, length) => this.shardOf(rank, size, length));
        },
      },
    );
  }
}
