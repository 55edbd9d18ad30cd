import { CpuKernels } from "../../kernels/cpu.ts";
import type { Kernels } from "../../kernels/kernels.ts";
import { ShapeKernels } from "../../kernels/shape.ts";
import { type BackendFactory, ScheduleWorkload } from "../backend/schedule-workload.ts";
import type { Device } from "../cluster/device.ts";
import type { RandomStreams } from "../engine/index.ts";
import type { Problem } from "../problems/problem.ts";
import { buildProblem } from "../scenario/registry/problem-kinds.ts";
import { scheduleRegistry } from "../scenario/registry/schedules.ts";
import type { Scenario, TrafficScheduleSpec, TrainingScheduleSpec } from "../scenario/types.ts";
import type { Workload } from "../workload.ts";

/** What a backend may supply instead of the simulator's defaults. */
export interface WorkloadBackend {
  /** Numeric kernels to use instead of the CPU ones. */
  readonly kernels?: Kernels;
  /** The backend training schedules run on (default: the simulator's). */
  readonly backend?: BackendFactory;
  /** The scenario's problem, built beforehand by `buildScenarioProblem`. */
  readonly problem?: Problem;
}

/**
 * What runs, from a scenario's `schedule` section, by its registry entry: traffic, or a training
 * schedule (on the simulator's backend unless `backend.backend` says otherwise).
 */
export function buildWorkload(
  scenario: Scenario,
  devices: readonly Device[],
  streams: RandomStreams,
  backend: WorkloadBackend = {},
): Workload {
  const spec = scenario.schedule;
  const entry = scheduleRegistry.get(spec.kind);
  // The spec was resolved by this same entry: traffic carries `spec`, a training schedule `params`.
  if (!entry.trains) return entry.build((spec as TrafficScheduleSpec).spec, devices);
  const training = spec as TrainingScheduleSpec;
  const problem = backend.problem ?? buildScenarioProblem(scenario, devices.length, streams);
  const kernels: Kernels =
    scenario.numerics === "real" && problem.numeric
      ? (backend.kernels ?? new CpuKernels())
      : new ShapeKernels();
  return new ScheduleWorkload({
    definition: entry,
    params: training.params,
    problem,
    kernels,
    fidelity: training.fidelity,
    sampleEvery: training.sampleEvery,
    ...(backend.backend === undefined ? {} : { backend: backend.backend }),
  });
}

/**
 * The problem a training scenario trains. Deterministic in the seed (its data comes from named random
 * streams), so building it ahead of the run gives the very problem the run would build.
 */
export function buildScenarioProblem(scenario: Scenario, workers: number, streams: RandomStreams): Problem {
  // The decoder guarantees a problem for every training schedule.
  return buildProblem(scenario.problem!, workers, streams, "problem");
}
