/**
 * One GPUDevice seen by dtsim's kernels: a pipeline cache, and a command batch that kernels append
 * dispatches to and that is submitted when someone needs a result (a read) or calls `submit`.
 *
 * Why batch: a submit round trip costs ~130 µs on the GLES software adapter and ~70 µs on lavapipe
 * (webgpu-on-linux.md §3d), more than many small kernels; recording several dispatches into one
 * command buffer pays that once. The queue executes in submission order, so batching never reorders
 * work on one device.
 *
 * Uniforms: each dispatch of a batch gets its own small uniform buffer, because `queue.writeBuffer`
 * lands before the whole batch runs; two dispatches sharing one uniform buffer would both see the
 * last values. Uniform buffers are recycled once their batch has been submitted.
 */

/** Storage buffers read and written by kernels, copied to and from the host. */
export const STORAGE_USAGE = 0x80 | 0x4 | 0x8; // STORAGE | COPY_SRC | COPY_DST
const UNIFORM_USAGE = 0x40 | 0x8; // UNIFORM | COPY_DST
const READBACK_USAGE = 0x1 | 0x8; // MAP_READ | COPY_DST
const MAP_MODE_READ = 0x1;
/** Bytes of one uniform block: 64 scalars of 4 bytes (linear6 needs 37: a length and a 6×6 matrix). */
export const UNIFORM_BYTES = 256;
/** WebGPU's per-dimension workgroup count limit. */
const MAX_GROUPS_PER_DIMENSION = 65535;

export class GpuContext {
  readonly device: GPUDevice;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private encoder: GPUCommandEncoder | undefined;
  private pass: GPUComputePassEncoder | undefined;
  private readonly freeUniforms: GPUBuffer[] = [];
  private readonly batchUniforms: GPUBuffer[] = [];
  private dispatchesInBatch = 0;
  /** Dispatches submitted so far (for reports and tests). */
  dispatches = 0;

  constructor(device: GPUDevice) {
    this.device = device;
  }

  /** The compute pipeline for WGSL `code` (entry point `main`), compiled once per context. */
  pipeline(code: string, entryPoint = "main"): GPUComputePipeline {
    const key = `${entryPoint}\u0000${code}`;
    let pipeline = this.pipelines.get(key);
    if (pipeline === undefined) {
      const module = this.device.createShaderModule({ code });
      pipeline = this.device.createComputePipeline({ layout: "auto", compute: { module, entryPoint } });
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  /** A storage buffer of `bytes` (rounded up to 16), zero-filled. */
  storage(bytes: number): GPUBuffer {
    return this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage: STORAGE_USAGE });
  }

  /**
   * Records `pipeline` over `workgroups` groups (spread over x and y when above 65535) with
   * `uniforms` (≤ UNIFORM_BYTES, at binding 0 when given) and then `buffers` at bindings 1, 2, …
   * (0, 1, … when there are no uniforms). Shaders recover the flat group index as
   * `gid.x + gid.y * 65535 * WG` — see `flatIndex` in wgsl.ts.
   */
  dispatch(
    pipeline: GPUComputePipeline,
    buffers: readonly GPUBuffer[],
    uniforms: ArrayBuffer | undefined,
    workgroups: number,
  ): void {
    const entries: GPUBindGroupEntry[] = [];
    let binding = 0;
    if (uniforms !== undefined) {
      const ubuf =
        this.freeUniforms.pop() ?? this.device.createBuffer({ size: UNIFORM_BYTES, usage: UNIFORM_USAGE });
      this.device.queue.writeBuffer(ubuf, 0, uniforms, 0, Math.min(uniforms.byteLength, UNIFORM_BYTES));
      this.batchUniforms.push(ubuf);
      entries.push({ binding: binding++, resource: { buffer: ubuf } });
    }
    for (const buffer of buffers) entries.push({ binding: binding++, resource: { buffer } });
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const pass = this.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    const groups = Math.max(1, workgroups);
    const x = Math.min(groups, MAX_GROUPS_PER_DIMENSION);
    pass.dispatchWorkgroups(x, Math.ceil(groups / MAX_GROUPS_PER_DIMENSION));
    this.dispatchesInBatch++;
  }

  /** Records a buffer-to-buffer copy after the dispatches recorded so far. */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /** Host → device: runs in queue order, after everything submitted before it. */
  write(buffer: GPUBuffer, data: Float32Array, byteOffset = 0): void {
    // Keep order with recorded-but-unsubmitted work: submit it first.
    this.submit();
    this.device.queue.writeBuffer(buffer, byteOffset, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Submits the recorded batch, if any. On GLES this runs the GPU work before returning (§5.4). */
  submit(): void {
    if (this.encoder === undefined) return;
    this.endPass();
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = undefined;
    this.dispatches += this.dispatchesInBatch;
    this.dispatchesInBatch = 0;
    // The batch is in the queue: its uniform buffers' contents are consumed in order, so they can
    // take new writes (which land after this submit) from now on.
    this.freeUniforms.push(...this.batchUniforms);
    this.batchUniforms.length = 0;
  }

  /** Device → host: `bytes` from `buffer` at `byteOffset`, after all work recorded so far. */
  async read(buffer: GPUBuffer, byteOffset: number, bytes: number): Promise<ArrayBuffer> {
    const size = Math.ceil(bytes / 4) * 4;
    const staging = this.device.createBuffer({ size, usage: READBACK_USAGE });
    this.copy(buffer, byteOffset, staging, 0, size);
    this.submit();
    try {
      await staging.mapAsync(MAP_MODE_READ);
      return staging.getMappedRange().slice(0, bytes);
    } finally {
      staging.destroy();
    }
  }

  /** Resolves when the device has finished everything submitted (recorded work is submitted first). */
  async finish(): Promise<void> {
    this.submit();
    await this.device.queue.onSubmittedWorkDone();
  }

  private commandEncoder(): GPUCommandEncoder {
    if (this.encoder === undefined) this.encoder = this.device.createCommandEncoder();
    return this.encoder;
  }

  private computePass(): GPUComputePassEncoder {
    if (this.pass === undefined) this.pass = this.commandEncoder().beginComputePass();
    return this.pass;
  }

  private endPass(): void {
    if (this.pass === undefined) return;
    this.pass.end();
    this.pass = undefined;
  }
}
