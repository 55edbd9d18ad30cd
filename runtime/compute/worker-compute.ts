/**
 * Where a worker's gradients are computed on the runtime: on the CPU of this process, on a WebGPU
 * device of this process, or in another OS process (which itself uses one of the first two).
 *
 * The runtime keeps each worker's vectors on the host (the schedule's kernels are synchronous, so
 * they cannot wait for a device readback); a gradient uploads x, runs the problem's gradient kernels
 * on the device and reads g and the loss back. Mini-batches are drawn on the host from the same
 * random stream as in the simulator (`Problem.sampleBatch`), so both backends see the same samples.
 */
export interface WorkerCompute {
  /** What computes, for reports: "cpu", "webgpu (OpenGL ES 3.2 Mesa 22.3.6)", "process 4242 / webgpu …". */
  readonly label: string;
  /**
   * Writes into `g` the gradient of worker `worker`'s local objective at `x` over the samples
   * `batch` (indices into the worker's shard; undefined = the full local objective) and resolves
   * with the mini-batch loss.
   */
  gradient(worker: number, x: Float32Array, batch: Int32Array | undefined, g: Float32Array): Promise<number>;
  /** Releases the device (idempotent). */
  close(): Promise<void>;
}
