import type { Kernels, Vec } from "../kernels/kernels.ts";
import { collectiveOnWire, completeCollective } from "../sim/backend/apply-collective.ts";
import { BackendBase } from "../sim/backend/backend-base.ts";
import type { Meeting } from "../sim/backend/rendezvous.ts";
import { startCollective } from "../sim/cluster/collectives/index.ts";
import { routeBottleneck, routeLatency } from "../sim/cluster/network/route-metrics.ts";
import { type RandomStream, Signal, type Waitable, type Yieldable } from "../sim/engine/index.ts";
import type { Problem } from "../sim/problems/problem.ts";
import type { StateVector } from "../sim/schedules/definition.ts";
import type { WorkloadContext } from "../sim/workload.ts";
import type { Transport } from "./compute/transport.ts";
import type { WorkerCompute } from "./compute/worker-compute.ts";
import type { Measurements } from "./measurements.ts";
import type { RealTime } from "./real-time.ts";
import { batchSampler, type SampleBatch } from "./sample-batch.ts";

/** What the runtime's operations complete against: real devices, a real transport, the wall clock. */
export interface RuntimeResources {
  readonly realTime: RealTime;
  /** Worker w's gradients run on computes[w] (several workers may share one). */
  readonly computes: readonly WorkerCompute[];
  readonly transport: Transport;
  readonly measurements: Measurements;
  /** Each worker's measured seconds per gradient of `problem.batchSize` samples, before slowing. */
  readonly calibration: readonly number[];
}

/**
 * The runtime's backend for the workers' handles, on the simulator's engine driven in real time
 * (real-time.ts). Systems semantics only (`computeSlot` waits for nothing: a gradient's real duration
 * paces the device):
 * - a gradient runs on the worker's WorkerCompute over a mini-batch drawn from the simulator's own
 *   per-worker stream, and completes when the device answers; a worker the scenario makes slower than
 *   the fastest device (speed < 1, or inside a straggler episode) then waits on top, so that its
 *   gradient takes measured / speedRatio, as the scenario says (the wait is reported);
 * - memory-bound work (`memoryWork`) is only the host kernel the schedule already ran: no extra wait,
 *   but its wall time is the worker's compute, as in the simulator;
 * - a send moves a snapshot of the vector through the Transport and, at the same time, through the
 *   scenario's network model, which acts as the link shaper: it completes when both have finished;
 * - a collective is timed by the simulator's collective state machines on that same network, and its
 *   numbers are applied on the host as in the simulator.
 * Vectors live on the host (the schedules' kernels are synchronous), in the CPU kernels.
 */
export class RuntimeBackend extends BackendBase {
  /** Each worker's scenario speed over the fastest device's (1 for the fastest). */
  readonly speedRatios: readonly number[];
  private readonly resources: RuntimeResources;
  private readonly gradientRng: RandomStream[];
  private readonly sampleBatch: SampleBatch;

  constructor(
    ctx: WorkloadContext,
    kernels: Kernels,
    problem: Problem,
    state: readonly StateVector[],
    resources: RuntimeResources,
  ) {
    super(ctx, kernels, problem, state);
    this.resources = resources;
    this.sampleBatch = batchSampler(problem);
    // The simulator's stream and name: both backends train on the same mini-batches.
    this.gradientRng = ctx.devices.map((_, w) => ctx.streams.stream("gradient-samples", w));
    const fastest = Math.max(...ctx.devices.map((d) => d.spec.speed));
    this.speedRatios = ctx.devices.map((d) => d.spec.speed / fastest);
  }

  *computeSlot(): Generator<Yieldable, void, unknown> {}

  gradient(worker: number, x: Vec, g: Vec, samples = this.problem.batchSize): Waitable<number> {
    const { sim, ledger, timers } = this.ctx;
    const { realTime, measurements } = this.resources;
    const batch = this.sampleBatch(worker, this.gradientRng[worker]!, samples);
    this.count(worker, "samples", samples);
    ledger.computeStart(worker, sim.now);
    const done = new Signal<number>();
    // x is read now, as the contract says: the schedule may change it while the device works.
    const input = hostData(x).slice();
    const started = realTime.clock.now();
    realTime.settle(
      call(() => this.resources.computes[worker]!.gradient(worker, input, batch, hostData(g))),
      (loss, settledAt) => {
        const measured = settledAt - started;
        const delay = this.slowdownDelay(worker, started, measured);
        measurements.gradient(worker, measured, delay);
        const finish = () => {
          ledger.computeEnd(worker, sim.now);
          done.succeed(loss);
        };
        if (delay > 0) timers.at(sim.now + delay, { onTimer: finish });
        else finish();
      },
    );
    return done;
  }

  meanGradientTime(worker: number, samples = this.problem.batchSize): number {
    const seconds = (this.resources.calibration[worker]! * samples) / this.problem.batchSize;
    return seconds / this.speedRatios[worker]!;
  }

  /**
   * The host already did the kernel's arithmetic (an optimizer step, say), synchronously, inside the
   * step that calls this: the runtime adds no modelled time, but charges the wall time that step took,
   * from its event's time until now, to the worker's compute, as the simulator charges its memory-bound
   * job. Without it that host time, and the coordinator's lateness in running the step, read as the
   * worker's idle time, which the simulator has no cause for.
   */
  memoryWork(worker: number, _bytes: number): Waitable<void> {
    const { sim, ledger } = this.ctx;
    const { realTime, measurements } = this.resources;
    const began = sim.now;
    ledger.computeStart(worker, began);
    const done = new Signal<void>();
    realTime.atWallNow(() => {
      ledger.computeEnd(worker, sim.now);
      measurements.hostWork(sim.now - began);
      done.succeed();
    });
    return done;
  }

  /** Moves the receiver's copy through the Transport and, at once, through the scenario's network model. */
  protected transfer(src: number, dst: number, bytes: number, copy: Vec, arrived: () => void): void {
    const { sim, ledger, network } = this.ctx;
    const { realTime, transport, measurements } = this.resources;
    const snapshot = hostData(copy).slice();
    ledger.commStart(src, sim.now);
    ledger.commStart(dst, sim.now);
    const started = realTime.clock.now();
    let waiting = 2;
    const both = () => {
      if (--waiting > 0) return;
      ledger.commEnd(src, sim.now);
      ledger.commEnd(dst, sim.now);
      measurements.transfer(realTime.clock.now() - started, this.modelSeconds(src, dst, bytes));
      arrived();
    };
    // Started at the wall time of this call (the step calling it may run behind the wall clock), so that
    // the modelled time is a lower bound on the measured one.
    realTime.atWallNow(() => network.transfer(src, dst, bytes, { onTransferDone: both }));
    realTime.settle(
      call(() => transport.move(src, dst, snapshot)),
      (received) => {
        hostData(copy).set(received);
        both();
      },
    );
  }

  /** The last member arrived: time the collective on the network model in real time, then reduce. */
  protected startMeeting(meeting: Meeting): void {
    const { realTime, measurements } = this.resources;
    const started = realTime.clock.now();
    // The members are in the collective from the moment the last one arrived, as a worker on a real
    // cluster would be: the coordinator's lateness in starting it (its timers fire late under load)
    // is communication time, not idle time.
    for (const w of meeting.group) this.ctx.ledger.commStart(w, this.ctx.sim.now);
    realTime.atWallNow(() => {
      const { sim, ledger, network } = this.ctx;
      const start = sim.now;
      const { kind, bytes } = collectiveOnWire(meeting, this.problem.bytesPerValue);
      startCollective(
        sim,
        network,
        { kind, algorithm: "ring", group: meeting.group, bytes },
        {
          onCollectiveDone: () => {
            for (const w of meeting.group) ledger.commEnd(w, sim.now);
            const groupSize = meeting.group.length;
            this.ctx.recordCollective({ kind, algorithm: "ring", bytes, groupSize, start, end: sim.now });
            measurements.collective(realTime.clock.now() - started);
            completeCollective(meeting, this.kernels, (rank, size, length) =>
              this.shardOf(rank, size, length),
            );
          },
        },
      );
    });
  }

  /**
   * Seconds to wait after a gradient measured at `measured` seconds, started at `started`, so that it
   * lasts what the scenario's device would take: measured / speedRatio, stretched by any straggler
   * episode it overlaps (the device's speed profile, on the wall clock).
   */
  private slowdownDelay(worker: number, started: number, measured: number): number {
    const device = this.ctx.devices[worker]!;
    const end = device.finishTime(started, measured / this.speedRatios[worker]!);
    return Math.max(0, end - (started + measured));
  }

  /** The network model's time for `bytes` alone on the route src → dst (latency + bytes / bottleneck). */
  private modelSeconds(src: number, dst: number, bytes: number): number {
    const { platform } = this.ctx.network;
    const route = platform.route(src, dst);
    return routeLatency(platform, route) + bytes / routeBottleneck(platform, route);
  }
}

/** A vector's numbers: the runtime keeps every vector on the host, in CPU kernels. */
function hostData(v: Vec): Float32Array {
  if (v.data === undefined) throw new Error("runtime vectors must carry numbers (CPU kernels)");
  return v.data;
}

/** `start()`, with a synchronous throw turned into a rejection, so both stop the run the same way. */
function call<T>(start: () => Promise<T>): Promise<T> {
  try {
    return start();
  } catch (error) {
    return Promise.reject(error);
  }
}
