import type { DevicePresetValues } from "../presets.ts";
import { isShapeOnlyProblem } from "../registry/problem-kinds.ts";
import type { ScenarioInput } from "../schema.ts";
import type { Scenario } from "../types.ts";
import { resolveCluster } from "./cluster.ts";
import type { Problems } from "./problems.ts";
import { checkStop, isTraining, resolveSchedule } from "./schedule.ts";

export interface ResolveOptions {
  /** The name to use when the file gives none (the CLI passes the file's name). */
  readonly defaultName?: string;
  /** The device numbers of "this machine", from a calibration profile (`preset: this-machine`). */
  readonly machine?: DevicePresetValues;
}

/**
 * From what the schema accepted to the `Scenario` the simulator runs: the rules that span fields,
 * and the defaults that depend on other fields. Problems go to `problems`; the returned value is only
 * meaningful when there are none.
 */
export function resolveScenario(
  input: ScenarioInput,
  problems: Problems,
  options: ResolveOptions = {},
): Scenario {
  const cluster = resolveCluster(input.cluster, problems, options.machine);
  const schedule = resolveSchedule(input.schedule, cluster.workers, input.stop, problems);
  checkStop(schedule, input.stop, problems);
  if (isTraining(schedule) && input.problem === undefined) {
    problems.add(["problem"], `a problem to train (schedule.kind ${schedule.kind} trains a model)`);
  }
  if (!isTraining(schedule) && input.problem !== undefined) {
    problems.add(["problem"], `no problem: schedule.kind ${schedule.kind} moves no numbers`);
  }
  const shapeOnly = input.problem !== undefined && isShapeOnlyProblem(input.problem.kind);
  const numerics = shapeOnly ? "shape" : input.numerics;
  return {
    name: input.name !== "" ? input.name : (options.defaultName ?? "unnamed"),
    seed: input.seed,
    cluster,
    schedule,
    ...(input.problem === undefined ? {} : { problem: input.problem }),
    numerics,
    stop: input.stop,
  };
}
