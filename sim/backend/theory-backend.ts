import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { RandomStream, Waitable, Yieldable } from "../engine/index.ts";
import type { Problem } from "../problems/problem.ts";
import type { StateVector } from "../schedules/definition.ts";
import type { ComputeClock } from "../schedules/worker.ts";
import type { WorkloadContext } from "../workload.ts";
import { completeCollective } from "./apply-collective.ts";
import { BackendBase } from "./backend-base.ts";
import { Completion } from "./completion.ts";
import type { Meeting } from "./rendezvous.ts";

/**
 * The theory backend, the papers' continuous-time model: gradients, memory work, messages and
 * collectives complete at once, and only clocks move time — the schedules' own (gossip clocks, sleeps)
 * and each worker's compute clock (`computeSlot`): Poisson of rate 1 per unit, or one tick per unit.
 * The time unit is one gradient. Instantaneous completions still go through an event at the current
 * time, so that the order of wake-ups stays the engine's (time, sequence) order.
 */
export class TheoryBackend extends BackendBase {
  /** Mini-batch sampling: drawn only when numbers move. */
  private readonly gradientRng: RandomStream[];
  /** Each worker's Poisson compute clock (the stream gradient loops have always drawn from). */
  private readonly computeClocks: (RandomStream | undefined)[];

  constructor(ctx: WorkloadContext, kernels: Kernels, problem: Problem, state: readonly StateVector[]) {
    super(ctx, kernels, problem, state);
    this.gradientRng = ctx.devices.map((_, w) => ctx.streams.stream("gradient-samples", w));
    this.computeClocks = ctx.devices.map(() => undefined);
  }

  *computeSlot(worker: number, clock: ComputeClock): Generator<Yieldable, void, unknown> {
    if (clock === "periodic") {
      yield 1;
      return;
    }
    let stream = this.computeClocks[worker];
    if (stream === undefined) {
      stream = this.random(worker, "gradient-clock", []);
      this.computeClocks[worker] = stream;
    }
    yield stream.exponential(1);
  }

  gradient(worker: number, x: Vec, g: Vec, samples = this.problem.batchSize): Waitable<number> {
    const loss = this.kernels.numeric
      ? this.problem.gradient(worker, x, g, this.gradientRng[worker]!)
      : Number.NaN;
    this.count(worker, "samples", samples);
    return this.completeNow(loss);
  }

  meanGradientTime(): number {
    return 1;
  }

  memoryWork(): Waitable<void> {
    return this.completeNow(undefined);
  }

  /**
   * Delivered at once, in the sender's step: the receiver wakes through its own resumption event, so
   * no process runs inside another's step, and one event per message is saved (a gossip exchange is
   * two messages: DADAO's star of 300 ran 2× the events with a delivery event of its own).
   */
  protected transfer(_src: number, _dst: number, _bytes: number, _copy: Vec, arrived: () => void): void {
    arrived();
  }

  protected startMeeting(meeting: Meeting): void {
    const finish = () =>
      completeCollective(meeting, this.kernels, (rank, size, length) => this.shardOf(rank, size, length));
    this.ctx.timers.at(this.ctx.sim.now, { onTimer: finish });
  }

  /** A waitable completed by an event at the current time. */
  private completeNow<T>(value: T): Waitable<T> {
    const done = new Completion(value);
    this.ctx.timers.at(this.ctx.sim.now, done);
    return done;
  }
}
