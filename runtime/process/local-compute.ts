import type { Problem } from "../../sim/problems/index.ts";
import { CpuCompute } from "../compute/cpu.ts";
import type { WorkerCompute } from "../compute/worker-compute.ts";
import type { DeviceKind } from "./protocol.ts";

/**
 * The device a worker process owns: the same WorkerCompute classes as in one process, so a gradient
 * computed in a worker process is the one computed in the coordinator, bit for bit. WebGPU is loaded
 * only when asked for: a CPU worker never loads Dawn.
 */
export async function openLocalCompute(
  device: DeviceKind,
  problem: Problem,
  worker: number,
): Promise<WorkerCompute> {
  if (device === "cpu") return new CpuCompute(problem);
  const { WebGpuCompute } = await import("../compute/webgpu.ts");
  // Only this worker's shard goes to its device.
  return WebGpuCompute.create(problem, undefined, [worker]);
}
