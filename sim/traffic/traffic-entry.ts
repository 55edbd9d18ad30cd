import type { Schema } from "effect";
import type { Device } from "../cluster/device.ts";
import type { RegistryEntry, ResolveContext } from "../registry.ts";
import type { Workload } from "../workload.ts";

/**
 * Traffic as a registry entry (one file per kind, sim/traffic/<kind>.ts, one line in
 * sim/scenario/registry/schedules.ts): a `schedule.kind` that trains nothing and moves only sizes.
 * Its fields, how they are resolved against the cluster (with the problems found), whether it runs
 * forever, and the workload that generates it.
 */
// biome-ignore lint/suspicious/noExplicitAny: each entry's spec is its own business (typed by defineTraffic).
export interface TrafficEntry<Spec = any> extends RegistryEntry {
  readonly trains: false;
  // biome-ignore lint/suspicious/noExplicitAny: typed by `defineTraffic` from the entry's own fields.
  resolve(input: any, context: ResolveContext): Spec;
  /** Why the run needs stop.time (it would never end by itself), or undefined. */
  endless(spec: Spec): string | undefined;
  build(spec: Spec, devices: readonly Device[]): Workload;
}

/** Types `resolve` by the entry's own fields, then hands back the registry's view. */
export function defineTraffic<const F extends Schema.Struct.Fields, Spec>(
  entry: Omit<TrafficEntry<Spec>, "trains" | "resolve" | "fields"> & {
    readonly fields: F;
    resolve(input: Schema.Struct.Type<F>, context: ResolveContext): Spec;
  },
): TrafficEntry<Spec> {
  return { trains: false, ...entry };
}
