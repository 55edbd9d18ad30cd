import {
  type CalibrationProfile,
  machineDevice,
  machineKey,
  slowdownFor,
} from "../sim/calibration/profile.ts";
import type { RunResult } from "../sim/result.ts";
import { decodeScenario } from "../sim/scenario/decode.ts";
import type { Scenario } from "../sim/scenario/types.ts";
import { compareResults, type ValidationReport } from "../sim/validate/compare.ts";
import { backendFromEnvironment } from "./gpu/dawn.ts";
import { placeWorkers } from "./placement.ts";
import { type RuntimeResult, runOnRuntime } from "./run.ts";

/**
 * Prediction against measurement for one scenario: the scenario decoded with "this machine" from the
 * calibration profile (its problem kind's fit, stretched by the measured slowdown for its worker
 * count), run in the simulator and on the runtime with the same seed, on the compute the profile was
 * measured with; then the metrics side by side.
 */
export interface ValidationRun {
  readonly scenario: Scenario;
  readonly predicted: RunResult;
  readonly measured: RuntimeResult;
  readonly report: ValidationReport;
  /** The concurrency slowdown applied to the device (1: none). */
  readonly slowdown: number;
}

export interface ValidateOptions {
  readonly defaultName?: string;
  readonly onPhase?: (phase: "simulate" | "runtime") => void;
  readonly onProgress?: (time: number, events: number) => void;
  /** One OS process per worker (default), or every worker in this process. */
  readonly processes?: boolean;
}

export async function validateScenario(
  raw: unknown,
  profile: CalibrationProfile,
  options: ValidateOptions = {},
): Promise<ValidationRun> {
  const { problemKind, workers } = machineKey(raw);
  const machine = machineDevice(profile, problemKind, workers);
  const scenario = decodeScenario(raw, {
    machine,
    ...(options.defaultName === undefined ? {} : { defaultName: options.defaultName }),
  });
  options.onPhase?.("simulate");
  // Imported here so that the runtime's modules load without the simulator's run when unused.
  const { runScenario } = await import("../sim/run.ts");
  const predicted = runScenario(scenario);
  options.onPhase?.("runtime");
  // The backend the profile was measured on (its adapter line starts with it), else the environment's.
  const measuredOn = profile.compute.adapter.split(":")[0];
  const backend =
    measuredOn === "vulkan" || measuredOn === "opengles" ? measuredOn : backendFromEnvironment();
  const placement = await placeWorkers(scenario, {
    device: profile.compute.kind,
    processes: options.processes ?? true,
    backend,
  });
  let measured: RuntimeResult;
  try {
    measured = await runOnRuntime(scenario, {
      compute: placement.compute,
      ...(placement.transport === undefined ? {} : { transport: placement.transport }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
  } finally {
    await placement.close();
  }
  return {
    scenario,
    predicted,
    measured,
    report: compareResults(predicted, measured),
    slowdown: slowdownFor(profile, workers, problemKind),
  };
}
