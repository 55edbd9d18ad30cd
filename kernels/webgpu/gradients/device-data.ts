/**
 * Small host ↔ device helpers the gradient kernels share: one-off uploads of a shard's data, the
 * per-call upload of a mini-batch's sample indices, and a storage buffer that grows with the batch.
 */
import type { GpuContext } from "../context.ts";

/** Workgroup size of the element-wise gradient kernels (≤ 128: compatibility mode's default limit). */
export const WORKGROUP = 64;

/** Workgroups covering `count` threads of a 1-D kernel. */
export function groupsFor(count: number): number {
  return Math.ceil(count / WORKGROUP);
}

/** A storage buffer holding `data` (float32 or uint32 values), written once. */
export function uploadOnce(ctx: GpuContext, data: Float32Array | Uint32Array): GPUBuffer {
  const buffer = ctx.storage(data.byteLength);
  ctx.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  return buffer;
}

/** 0, 1, …, m − 1: the "batch" of a full local gradient, so that one code path serves both. */
export function identityIndices(m: number): Uint32Array {
  return Uint32Array.from({ length: m }, (_, i) => i);
}

/**
 * Writes `batch` (indices into a shard of `shardSize`) into `buffer`, in queue order after the work
 * recorded so far. Out-of-range indices are refused here: on the device they would read whatever
 * WebGPU's bounds clamping gives, silently.
 */
export function uploadBatch(ctx: GpuContext, buffer: GPUBuffer, batch: Int32Array, shardSize: number): void {
  if (batch.length === 0) throw new RangeError("gradient: the mini-batch is empty");
  for (let s = 0; s < batch.length; s++) {
    const k = batch[s]!;
    if (!(k >= 0 && k < shardSize))
      throw new RangeError(`gradient: batch[${s}] = ${k} is outside the shard (0 to ${shardSize - 1})`);
  }
  ctx.submit(); // as GpuContext.write does: keep order with recorded, unsubmitted work
  // Non-negative int32 values have the same bits as the shader's u32.
  ctx.device.queue.writeBuffer(buffer, 0, batch.buffer, batch.byteOffset, batch.byteLength);
}

/** A storage buffer of at least `floats` × 4 bytes, reallocated (bigger) only when a batch outgrows it. */
export class GrowingBuffer {
  private buffer: GPUBuffer | undefined;
  private capacity = 0;

  private readonly ctx: GpuContext;
  /** Floats per batch sample. */
  private readonly perSample: number;

  constructor(ctx: GpuContext, perSample: number) {
    this.ctx = ctx;
    this.perSample = perSample;
  }

  /** The buffer, big enough for `samples` samples. Earlier work on a replaced buffer is unaffected. */
  forSamples(samples: number): GPUBuffer {
    if (this.buffer === undefined || samples > this.capacity) {
      // Recorded work that uses the old buffer must reach the queue before it is destroyed.
      this.ctx.submit();
      this.buffer?.destroy();
      this.capacity = samples;
      this.buffer = this.ctx.storage(samples * this.perSample * 4);
    }
    return this.buffer;
  }

  destroy(): void {
    this.buffer?.destroy();
    this.buffer = undefined;
  }
}
