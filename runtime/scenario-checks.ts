import { InputError } from "../sim/errors.ts";
import { scheduleRegistry } from "../sim/scenario/registry/schedules.ts";
import type { Scenario } from "../sim/scenario/types.ts";

/**
 * What a scenario must be to run on the runtime, checked before any device is opened: a training
 * schedule (the timing workloads only move sizes), real numbers, systems fidelity, no simulated
 * failures, and a stop condition (training schedules never run out of work).
 */
export function checkRuntimeScenario(scenario: Scenario): void {
  const { schedule } = scenario;
  if (!schedule.trains) {
    const training = scheduleRegistry
      .entries()
      .filter((e) => e.trains)
      .map((e) => e.kind);
    throw new InputError(
      "schedule.kind",
      schedule.kind,
      `a training schedule on the runtime (${training.join(", ")}); traffic runs on the simulator only`,
    );
  }
  if (schedule.fidelity === "theory") {
    throw new InputError(
      "schedule.fidelity",
      "theory",
      "systems on the runtime (theory's instantaneous events have no wall-clock meaning)",
    );
  }
  if (scenario.numerics !== "real") {
    throw new InputError("numerics", scenario.numerics, "real on the runtime (it computes real gradients)");
  }
  if (scenario.cluster.failures.length > 0) {
    throw new InputError(
      "cluster.failures",
      `${scenario.cluster.failures.length} failure(s)`,
      "none on the runtime (device failures are simulated only)",
    );
  }
  const { time, events } = scenario.stop;
  if ((time === undefined || !Number.isFinite(time)) && events === undefined) {
    throw new InputError("stop.time", time, "a wall-clock horizon (or stop.events) on the runtime");
  }
}
