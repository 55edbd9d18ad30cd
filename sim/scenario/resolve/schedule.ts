import { scheduleRegistry } from "../registry/schedules.ts";
import type { ScheduleSpec, StopSpec } from "../types.ts";
import { describeQuantity } from "../units.ts";
import type { Problems } from "./problems.ts";

/**
 * Cross-field rules of `schedule`, by its registry entry: a training algorithm's parameters (with its
 * fidelity and metric sampling), or a traffic generator's spec checked against the cluster.
 */
export function resolveSchedule(
  input: { readonly kind: string; readonly [field: string]: unknown },
  workers: number,
  stop: StopSpec,
  problems: Problems,
): ScheduleSpec {
  const entry = scheduleRegistry.get(input.kind);
  const context = { workers, path: ["schedule"], problems, horizon: stop.time };
  if (!entry.trains) return { kind: entry.kind, trains: false, spec: entry.resolve(input, context) };
  const { fidelity, sampleEvery } = input as unknown as {
    readonly fidelity: "theory" | "systems";
    readonly sampleEvery?: number;
  };
  return {
    kind: entry.kind,
    trains: true,
    fidelity,
    sampleEvery: sampleEvery ?? (stop.time ?? 100) / 100,
    params: entry.params(input, context),
  };
}

/** Whether `kind` trains a model (a registered training algorithm). */
export function isTraining(schedule: { readonly kind: string }): boolean {
  return scheduleRegistry.find(schedule.kind)?.trains === true;
}

/** Schedules that would run forever without a horizon must have one. */
export function checkStop(schedule: ScheduleSpec, stop: StopSpec, problems: Problems): void {
  const entry = scheduleRegistry.get(schedule.kind);
  const endless = entry.trains ? entry.kind : entry.endless((schedule as { spec: unknown }).spec);
  if (endless !== undefined && stop.time === undefined) {
    problems.add(["stop", "time"], `${describeQuantity("time")} (required for ${endless})`);
  }
}
