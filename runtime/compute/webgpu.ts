import { GpuContext } from "../../kernels/webgpu/context.ts";
import { createGpuGradient, type GpuGradient } from "../../kernels/webgpu/gradients/index.ts";
import type { Problem } from "../../sim/problems/problem.ts";
import {
  backendFromEnvironment,
  type GpuBackendChoice,
  openAdapter,
  requestComputeDevice,
} from "../gpu/dawn.ts";
import type { WorkerCompute } from "./worker-compute.ts";

/**
 * Gradients of every worker on one WebGPU device of this process: one GpuContext (its pipelines
 * compiled once for all workers) and one `createGpuGradient` per worker, each holding its shard on the
 * device from the start. Calls for different workers may be in flight together: each worker has its
 * own buffers and the device queue runs their work in submission order.
 */
export class WebGpuCompute implements WorkerCompute {
  readonly label: string;
  private readonly device: GPUDevice;
  private readonly ownsDevice: boolean;
  private readonly gradients: readonly (GpuGradient | undefined)[];
  private closed = false;

  private constructor(
    label: string,
    device: GPUDevice,
    ownsDevice: boolean,
    gradients: readonly (GpuGradient | undefined)[],
  ) {
    this.label = label;
    this.device = device;
    this.ownsDevice = ownsDevice;
    this.gradients = gradients;
  }

  /**
   * Opens a device on `backend` (its own; `close` destroys it) and uploads every worker's shard.
   * Rejects with GpuUnavailableError when no adapter opens, and with an Error for a problem with no
   * WebGPU kernels (the device is released then).
   *
   * Each call gets a device of its own (dawn.ts requests a fresh adapter per device).
   */
  static async create(
    problem: Problem,
    backend: GpuBackendChoice = backendFromEnvironment(),
    workers?: readonly number[],
  ): Promise<WebGpuCompute> {
    const opened = await openAdapter(backend);
    const device = await requestComputeDevice(opened);
    try {
      return await WebGpuCompute.build(problem, device, opened.description, true, workers);
    } catch (error) {
      device.destroy();
      throw error;
    }
  }

  /** The same, on a device the caller owns: `close` frees this compute's buffers and leaves the device. */
  static onDevice(
    problem: Problem,
    device: GPUDevice,
    description: string,
    workers?: readonly number[],
  ): Promise<WebGpuCompute> {
    return WebGpuCompute.build(problem, device, description, false, workers);
  }

  private static async build(
    problem: Problem,
    device: GPUDevice,
    description: string,
    ownsDevice: boolean,
    workers?: readonly number[],
  ): Promise<WebGpuCompute> {
    const ctx = new GpuContext(device);
    const gradients: (GpuGradient | undefined)[] = [];
    try {
      // Every worker's shard, or only those asked for (a worker process needs its own).
      for (let w = 0; w < problem.workers; w++)
        gradients.push(
          workers === undefined || workers.includes(w) ? createGpuGradient(ctx, problem, w) : undefined,
        );
      // Shards are on the device before the first gradient is timed.
      await ctx.finish();
    } catch (error) {
      for (const gradient of gradients) gradient?.destroy();
      throw error;
    }
    return new WebGpuCompute(`webgpu (${description})`, device, ownsDevice, gradients);
  }

  gradient(worker: number, x: Float32Array, batch: Int32Array | undefined, g: Float32Array): Promise<number> {
    if (this.closed) return Promise.reject(new Error(`${this.label}: gradient after close`));
    const gradient = this.gradients[worker];
    if (gradient === undefined)
      return Promise.reject(new RangeError(`gradient: worker ${worker} has no shard on this device`));
    return gradient.gradient(x, batch, g);
  }

  /** Frees the buffers and, when this compute opened it, destroys the device (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const gradient of this.gradients) gradient?.destroy();
    if (this.ownsDevice) this.device.destroy();
  }
}
