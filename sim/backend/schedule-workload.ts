import type { Kernels } from "../../kernels/kernels.ts";
import type { FailureListener } from "../cluster/failures.ts";
import type { TimerTarget } from "../engine/index.ts";
import { ModelSampler, type ModelSeries } from "../metrics/model-series.ts";
import type { Problem } from "../problems/problem.ts";
import type { ScheduleDefinition, StateVector, WorkerModel } from "../schedules/definition.ts";
import type { Workload, WorkloadContext } from "../workload.ts";
import type { BackendBase } from "./backend-base.ts";
import { SystemsBackend } from "./systems-backend.ts";
import { TheoryBackend } from "./theory-backend.ts";

/**
 * `theory`: the papers' continuous-time model (TheoryBackend); `systems`: compute and transfers take
 * time from the cost model (SystemsBackend). A schedule never asks which one runs it.
 */
export type Fidelity = "theory" | "systems";

/** A backend; those that model device failures also listen to them. */
export type Backend = BackendBase & Partial<FailureListener>;

/**
 * Builds the backend a schedule runs on: the simulator's by default; the runtime (runtime/) passes
 * its own, which completes when real computations and transfers do.
 */
export type BackendFactory = (
  ctx: WorkloadContext,
  kernels: Kernels,
  problem: Problem,
  fidelity: Fidelity,
  state: readonly StateVector[],
) => Backend;

const simulatorBackend: BackendFactory = (ctx, kernels, problem, fidelity, state) =>
  fidelity === "theory"
    ? new TheoryBackend(ctx, kernels, problem, state)
    : new SystemsBackend(ctx, kernels, problem, state);

export interface ScheduleRunSettings<P, C> {
  readonly definition: ScheduleDefinition<P, C>;
  readonly params: P;
  readonly problem: Problem;
  readonly kernels: Kernels;
  readonly fidelity: Fidelity;
  /** Seconds of simulated time between two samples of the training metrics (numeric runs). */
  readonly sampleEvery: number;
  /** Whose backend the schedule runs on (default: the simulator's). */
  readonly backend?: BackendFactory;
}

/**
 * Runs a schedule: builds the backend over the cluster, derives the schedule's constants once, starts
 * the schedule on every worker through that worker's handle, and samples the training metrics on a
 * regular grid of time (and once more at the end). The sampler is an observer outside the schedule: it
 * reads each worker's model through what `start` returned for that worker.
 */
export class ScheduleWorkload<P, C> implements Workload, TimerTarget {
  private readonly settings: ScheduleRunSettings<P, C>;
  private ctx!: WorkloadContext;
  private models!: readonly WorkerModel[];
  private sampler: ModelSampler | undefined;
  private backend!: Backend;

  constructor(settings: ScheduleRunSettings<P, C>) {
    this.settings = settings;
  }

  start(ctx: WorkloadContext): void {
    const { definition, params, problem, kernels, fidelity } = this.settings;
    this.ctx = ctx;
    const build = this.settings.backend ?? simulatorBackend;
    const backend = build(ctx, kernels, problem, fidelity, definition.state(params));
    this.backend = backend;
    const run = { workers: backend.workers, problem, graph: backend.graph };
    const constants = definition.constants?.(run, params) as C;
    this.models = backend.everyone.map((w) => definition.start(backend.handle(w), params, constants));
    if (kernels.numeric) {
      this.sampler = new ModelSampler(kernels, problem, ctx.devices.length, (w, out) =>
        this.models[w]!.model(out),
      );
      this.sampler.sample(0);
    }
    // The sampling clock runs in shape-only runs too (sampling nothing), so that a numeric run and its
    // shape-only twin dispatch the very same events.
    ctx.timers.after(this.settings.sampleEvery, this);
  }

  onDown(worker: number): void {
    this.backend.onDown?.(worker);
  }

  onUp(worker: number): void {
    this.backend.onUp?.(worker);
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
