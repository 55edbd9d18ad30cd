import { derived, unionOf } from "../../registry.ts";
import { scheduleRegistry } from "../registry/schedules.ts";

/**
 * What `schedule` accepts: one member per registered kind (sim/scenario/registry/schedules.ts), each
 * the entry's own fields. Derived, so a kind registered at run time is decoded like a built-in one.
 */
export const scheduleInput = derived([scheduleRegistry], () =>
  unionOf(scheduleRegistry.entries(), "What runs, chosen by `kind`."),
);

export type ScheduleInput = ReturnType<typeof scheduleInput>["Type"];
