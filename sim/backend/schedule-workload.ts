import type { Kernels } from "../../kernels/kernels.ts";
import type { FailureListener } from "../cluster/failures.ts";
import type { TimerTarget } from "../engine/index.ts";
import { ModelSampler, type ModelSeries } from "../metrics/model-series.ts";
import type { Problem } from "../problems/problem.ts";
import type {
  Fidelity,
  Operations,
  RunningSchedule,
  ScheduleDefinition,
  StateVector,
} from "../schedules/operations.ts";
import type { Workload, WorkloadContext } from "../workloads/context.ts";
import { SimulatedOperations } from "./simulated-operations.ts";

/** A backend's operations; those that model device failures also listen to them. */
export type BackendOperations = Operations & Partial<FailureListener>;

/**
 * Builds the operations a schedule runs on: the simulator's by default; the runtime (runtime/) passes
 * its own, which complete when real computations and transfers do.
 */
export type OperationsFactory = (
  ctx: WorkloadContext,
  kernels: Kernels,
  problem: Problem,
  fidelity: Fidelity,
  state: readonly StateVector[],
) => BackendOperations;

const simulatedOperations: OperationsFactory = (ctx, kernels, problem, fidelity, state) =>
  new SimulatedOperations(ctx, kernels, problem, fidelity, state);

export interface ScheduleRunSettings<P> {
  readonly definition: ScheduleDefinition<P>;
  readonly params: P;
  readonly problem: Problem;
  readonly kernels: Kernels;
  readonly fidelity: Fidelity;
  /** Seconds of simulated time between two samples of the training metrics (numeric runs). */
  readonly sampleEvery: number;
  /** Whose operations the schedule runs on (default: the simulator's). */
  readonly operations?: OperationsFactory;
}

/**
 * Runs a schedule in the simulator: builds the simulated operations over the cluster, starts the
 * schedule's processes, and samples the training metrics on a regular grid of simulated time (and once
 * more at the end).
 */
export class ScheduleWorkload<P> implements Workload, TimerTarget {
  private readonly settings: ScheduleRunSettings<P>;
  private ctx!: WorkloadContext;
  private running!: RunningSchedule;
  private sampler: ModelSampler | undefined;
  private ops!: BackendOperations;

  constructor(settings: ScheduleRunSettings<P>) {
    this.settings = settings;
  }

  start(ctx: WorkloadContext): void {
    const { definition, params, problem, kernels, fidelity } = this.settings;
    this.ctx = ctx;
    const build = this.settings.operations ?? simulatedOperations;
    const ops = build(ctx, kernels, problem, fidelity, definition.state(params));
    this.ops = ops;
    this.running = definition.start(ops, params);
    if (kernels.numeric) {
      this.sampler = new ModelSampler(kernels, problem, ctx.devices.length, (w, out) =>
        this.running.model(w, out),
      );
      this.sampler.sample(0);
    }
    // The sampling clock runs in shape-only runs too (sampling nothing), so that a numeric run and its
    // shape-only twin dispatch the very same events.
    ctx.timers.after(this.settings.sampleEvery, this);
  }

  onDown(worker: number): void {
    this.ops.onDown?.(worker);
  }

  onUp(worker: number): void {
    this.ops.onUp?.(worker);
  }

  onTimer(): void {
    this.sampler?.sample(this.ctx.sim.now);
    // Stop sampling past the horizon: the timer alone must not keep an otherwise drained run going.
    if (this.ctx.sim.now + this.settings.sampleEvery <= this.ctx.horizon)
      this.ctx.timers.after(this.settings.sampleEvery, this);
  }

  finish(): { series?: ModelSeries } {
    const sampler = this.sampler;
    if (sampler === undefined) return {};
    const last = sampler.series.t.at(-1);
    if (last !== this.ctx.sim.now) sampler.sample(this.ctx.sim.now);
    return { series: sampler.series };
  }
}
