/** What a problem's gradient looks like on a WebGPU device, for one worker's shard. */
export interface GpuGradient {
  /** Parameters d (the length of x and g). */
  readonly dimension: number;
  /** Samples m in the worker's shard (batch indices are in [0, m)). */
  readonly shardSize: number;
  /**
   * Uploads x and the batch's indices (undefined: the whole shard), runs the forward and backward
   * passes, and reads g and the mini-batch loss back together (one readback). Resolves with the loss.
   */
  gradient(x: Float32Array, batch: Int32Array | undefined, g: Float32Array): Promise<number>;
  /** Frees the device buffers (the context and its device stay). */
  destroy(): void;
}
