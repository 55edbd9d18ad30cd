import type { Kernels, Vec } from "../../kernels/kernels.ts";
import { startCollective } from "../cluster/collectives/index.ts";
import type { FailureListener } from "../cluster/failures.ts";
import { type Distribution, distributionMean, type RandomStream, type Waitable } from "../engine/index.ts";
import type { Problem } from "../problems/problem.ts";
import type { Fidelity, StateVector } from "../schedules/operations.ts";
import type { WorkloadContext } from "../workloads/context.ts";
import { applyCollective, collectiveOnWire } from "./apply-collective.ts";
import { Completion } from "./completion.ts";
import { ComputeJob, DeviceJobs, TransferJob } from "./device-jobs.ts";
import { OperationsBase } from "./operations-base.ts";
import type { Meeting } from "./rendezvous.ts";

/**
 * The simulator's side of `Operations`: gradients take device time from the problem's FLOPs and the
 * device model, transfers go through the network model, collectives through the collective state
 * machines; in theory mode all of them complete at once (at the current time, through an event, so
 * that the order of wake-ups stays the engine's). Numbers move through `kernels` (CPU or shape-only).
 */
export class SimulatedOperations extends OperationsBase implements FailureListener {
  /** Mini-batch sampling: drawn only when numbers move. */
  private readonly gradientRng: RandomStream[];
  /** Compute durations: a stream of its own, so that numeric and shape-only runs have one timeline. */
  private readonly durationRng: RandomStream[];
  private readonly computeDistributions: Map<number, Distribution>[];
  /** Computes and transfers, run around device failures. */
  readonly jobs: DeviceJobs;

  constructor(
    ctx: WorkloadContext,
    kernels: Kernels,
    problem: Problem,
    fidelity: Fidelity,
    state: readonly StateVector[],
  ) {
    super(ctx, kernels, problem, fidelity, state);
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

  /** A waitable completed by an event at the current time (theory mode: instantaneous, but ordered). */
  private completeNow<T>(value: T, then?: (value: T) => void): Waitable<T> {
    const done = new Completion(value, then);
    this.ctx.timers.at(this.ctx.sim.now, done);
    return done;
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
  protected startMeeting(meeting: Meeting): void {
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
          finish();
        },
      },
    );
  }
}
