import { CpuKernels } from "../../kernels/cpu.ts";
import { accoAdamw, optimizerStateNames, step } from "../../sim/optim/optimizer.ts";
import { stepBytesPerParameter } from "../../sim/schedules/synchronous/common.ts";
import { ramp } from "./plain-loops.ts";
import { medianSeconds } from "./timing.ts";

/**
 * The runtime keeps every vector on the host: one thread (the coordinator's) runs every worker's
 * optimizer step with the CPU kernels. This times that step (AdamW, the synchronous schedules'
 * default) on `parameters` float32 values, and reports it as bytes per second in the schedules' own
 * accounting (`stepBytesPerParameter`), so that a step of B bytes is predicted to take B / rate.
 */
export interface HostStepMeasurement {
  readonly optimizer: "adamw";
  readonly parameters: number;
  readonly seconds: number;
  readonly bytesPerSecond: number;
}

export async function measureHostStep(parameters: number, reps: number): Promise<HostStepMeasurement> {
  const kernels = new CpuKernels();
  const x = kernels.fromArray(ramp(parameters, 1));
  const g = kernels.fromArray(ramp(parameters, 2));
  const state = optimizerStateNames(accoAdamw).map(() => kernels.alloc(parameters));
  let t = 0;
  const seconds = await medianSeconds(reps, () => step(kernels, accoAdamw, x, g, state, ++t));
  const bytes = parameters * stepBytesPerParameter(accoAdamw, 4, false);
  return { optimizer: "adamw", parameters, seconds, bytesPerSecond: bytes / seconds };
}
