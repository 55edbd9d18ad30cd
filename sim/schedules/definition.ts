import type { Schema } from "effect";
import type { Vec } from "../../kernels/kernels.ts";
import type { MemoryCategory } from "../cluster/memory.ts";
import type { GossipGraph } from "../cluster/topology/gossip-graph.ts";
import type { RegistryEntry, ResolveContext } from "../registry.ts";
import type { ProblemFacts, Worker } from "./worker.ts";

/**
 * A training algorithm as a registry entry: everything dtsim knows of it is here, in its own file
 * (sim/schedules/<kind>.ts), plus one line in sim/scenario/registry/schedules.ts. Its scenario fields
 * (with their documentation), how they become its parameters, its per-worker state, the constants it
 * derives once per run, and how each worker's processes start — against that worker's handle only.
 */

/** A vector a schedule keeps per worker, and what memory it counts as. */
export interface StateVector {
  readonly name: string;
  readonly category: MemoryCategory;
}

/** One worker's schedule once started: how an observer reads the model it would evaluate now. */
export interface WorkerModel {
  /** Writes this worker's current model into `out` without changing its state. */
  model(out: Vec): void;
}

/** What a run tells every worker's schedule before it starts (the same on every worker). */
export interface RunInfo {
  readonly workers: number;
  readonly problem: ProblemFacts;
  readonly graph: GossipGraph;
}

/**
 * An algorithm written once. `P` is its parameter type, `C` the constants it derives once per run from
 * `RunInfo` (spectral constants, step sizes: deterministic, so each worker's process of a distributed
 * run derives the same). `start` runs once per worker, with that worker's handle only.
 */
// biome-ignore lint/suspicious/noExplicitAny: parameters and constants are each entry's own business.
export interface ScheduleDefinition<P = any, C = any> extends RegistryEntry {
  /** Trains a model on the scenario's problem (traffic entries, sim/traffic/, do not). */
  readonly trains: true;
  /** Its parameters from its decoded fields (the training fields among them); problems to `context`. */
  // biome-ignore lint/suspicious/noExplicitAny: typed by `defineSchedule` from the entry's own fields.
  params(input: any, context: ResolveContext): P;
  state(params: P): readonly StateVector[];
  constants?(run: RunInfo, params: P): C;
  start(worker: Worker, params: P, constants: C): WorkerModel;
}

/** Types `params` by the entry's own fields, then hands back the registry's view. */
export function defineSchedule<const F extends Schema.Struct.Fields, P, C = undefined>(
  definition: Omit<ScheduleDefinition<P, C>, "trains" | "params" | "fields"> & {
    readonly fields: F;
    params(input: Schema.Struct.Type<F>, context: ResolveContext): P;
  },
): ScheduleDefinition<P, C> {
  return { trains: true, ...definition };
}

/** The model of a schedule whose evaluated model is its vector `x`. */
export function modelIsX(worker: Worker): WorkerModel {
  const x = worker.vector("x");
  return { model: (out) => worker.kernels.copy(out, x) };
}
