/**
 * The WebGPU kernels: every vector lives in a GPUBuffer of one GpuContext, every void operation
 * records a WGSL dispatch into the context's batch (submitted when a result is read back), and the
 * numbers come back only asynchronously (`read`, `dot`, `squaredDistance` return promises, as in
 * every implementation).
 *
 * Storage: a vector of n coordinates has a buffer of ⌈n/4⌉·4 floats (whole vec4s). The padding
 * starts at zero and no kernel writes it (the last vec4's stores are masked), and reductions ignore it.
 *
 * Arithmetic is float32 throughout, scalars rounded to float32 (the CPU kernels compute in float64 and
 * round once): the conformance suite's tolerance covers both.
 *
 * Aliasing: WebGPU rejects a dispatch that binds one buffer twice when one binding is writable. Where
 * the CPU kernels define the aliased call (axpy(x, a, x), pairAverage(x, x), mix2(x, x, …), copy(x, x),
 * …) it is rewritten to an equivalent one-vector call; linear6's six vectors, an optimizer's x, m,
 * v, g and the fused A²CiD² kernels' vectors must be distinct (a RangeError otherwise).
 */
import type { Kernels, Vec } from "../kernels.ts";
import {
  checkAdamStep,
  checkAllocLength,
  checkLinear6,
  sameLength2,
  sameLength3,
  sameLength4,
} from "../validate.ts";
import type { GpuContext } from "./context.ts";
import { AXPBY, AXPY, FILL, LERP, SCALE } from "./elementwise.ts";
import { A2CID2_EXCHANGE, A2CID2_GRADIENT_STEP, LINEAR6, MIX2, PAIR_AVERAGE } from "./mixing.ts";
import { ADAMW, SGD_MOMENTUM } from "./optimizers.ts";
import { MAX_PARTIALS, REDUCTION_SCRATCH_BYTES, type ReductionKind, recordReduction } from "./reductions.ts";
import { recordVec4, type Vec4Op } from "./vec4-kernel.ts";

/** A vector on the device: `length` coordinates at the start of `buffer` (`data` is always undefined). */
export class GpuVec implements Vec {
  readonly length: number;
  readonly data: undefined = undefined;
  readonly buffer: GPUBuffer;
  /** The kernels that made it (a buffer cannot be used with another device). */
  readonly owner: WebGpuKernels;
  constructor(owner: WebGpuKernels, buffer: GPUBuffer, length: number) {
    this.owner = owner;
    this.buffer = buffer;
    this.length = length;
  }
}

/** Floats in the buffer of a vector of `length` coordinates: whole vec4s. */
const paddedLength = (length: number): number => Math.ceil(length / 4) * 4;

/** Largest invocations per workgroup used by the element-wise kernels (measured: wg256 is best on GLES). */
const PREFERRED_WORKGROUP = 256;

export class WebGpuKernels implements Kernels {
  readonly name = "webgpu";
  readonly numeric = true;
  readonly ctx: GpuContext;
  /** Invocations per workgroup: 256, or the device's limit when lower (compatibility defaults: 128). */
  readonly workgroupSize: number;
  private readonly maxBindingBytes: number;
  private readonly scratch: GPUBuffer;

  constructor(ctx: GpuContext) {
    this.ctx = ctx;
    const limits = ctx.device.limits;
    let wg = PREFERRED_WORKGROUP;
    while (wg > limits.maxComputeInvocationsPerWorkgroup || wg > limits.maxComputeWorkgroupSizeX) wg /= 2;
    this.workgroupSize = wg;
    this.maxBindingBytes = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    this.scratch = ctx.storage(REDUCTION_SCRATCH_BYTES);
  }

  alloc(length: number): GpuVec {
    checkAllocLength(length);
    const bytes = 4 * paddedLength(length);
    if (bytes > this.maxBindingBytes)
      throw new RangeError(
        `alloc: ${length} floats exceed this device's largest storage binding (${this.maxBindingBytes} bytes)`,
      );
    // WebGPU zero-initialises new buffers: alloc gives zeros, padding included.
    return new GpuVec(this, this.ctx.storage(bytes), length);
  }

  fromArray(values: ArrayLike<number>): GpuVec {
    const x = this.alloc(values.length);
    if (values.length > 0) {
      const host = new Float32Array(paddedLength(values.length));
      for (let i = 0; i < values.length; i++) host[i] = values[i]!;
      this.ctx.write(x.buffer, host);
    }
    return x;
  }

  /** Frees the device memory of `x` now (GC would, later); `x` must not be used afterwards. */
  release(x: Vec): void {
    this.bufferOf("release", x).destroy();
  }

  async read(x: Vec): Promise<Float32Array> {
    const buffer = this.bufferOf("read", x);
    if (x.length === 0) return new Float32Array(0);
    return new Float32Array(await this.ctx.read(buffer, 0, 4 * x.length));
  }

  fill(x: Vec, value: number): void {
    this.run(FILL, [this.bufferOf("fill", x)], x.length, [value]);
  }

  copy(dst: Vec, src: Vec): void {
    const d = this.bufferOf("copy", dst);
    const s = this.bufferOf("copy", src);
    sameLength2("copy", dst, src);
    // A buffer copy runs at memcpy speed; whole vec4s, so the padding (zero in both) is copied too.
    if (d !== s && dst.length > 0) this.ctx.copy(s, 0, d, 0, 4 * paddedLength(dst.length));
  }

  scale(x: Vec, a: number): void {
    this.run(SCALE, [this.bufferOf("scale", x)], x.length, [a]);
  }

  axpy(y: Vec, a: number, x: Vec): void {
    const yb = this.bufferOf("axpy", y);
    const xb = this.bufferOf("axpy", x);
    sameLength2("axpy", y, x);
    if (yb === xb) this.run(SCALE, [yb], y.length, [1 + a]);
    else this.run(AXPY, [yb, xb], y.length, [a]);
  }

  axpby(y: Vec, a: number, x: Vec, b: number): void {
    const yb = this.bufferOf("axpby", y);
    const xb = this.bufferOf("axpby", x);
    sameLength2("axpby", y, x);
    if (yb === xb) this.run(SCALE, [yb], y.length, [a + b]);
    else this.run(AXPBY, [yb, xb], y.length, [a, b]);
  }

  lerp(x: Vec, y: Vec, t: number): void {
    const xb = this.bufferOf("lerp", x);
    const yb = this.bufferOf("lerp", y);
    sameLength2("lerp", x, y);
    if (xb !== yb) this.run(LERP, [xb, yb], x.length, [t]);
  }

  pairAverage(x: Vec, y: Vec): void {
    const xb = this.bufferOf("pairAverage", x);
    const yb = this.bufferOf("pairAverage", y);
    sameLength2("pairAverage", x, y);
    if (xb !== yb) this.run(PAIR_AVERAGE, [xb, yb], x.length, []);
  }

  mix2(x: Vec, xt: Vec, a: number, b: number): void {
    const xb = this.bufferOf("mix2", x);
    const tb = this.bufferOf("mix2", xt);
    sameLength2("mix2", x, xt);
    if (xb === tb) this.run(SCALE, [xb], x.length, [a + b]);
    else this.run(MIX2, [xb, tb], x.length, [a, b]);
  }

  a2cid2Exchange(x: Vec, xt: Vec, xj: Vec, alpha: number, alphaTilde: number): void {
    const buffers = [
      this.bufferOf("a2cid2Exchange", x),
      this.bufferOf("a2cid2Exchange", xt),
      this.bufferOf("a2cid2Exchange", xj),
    ];
    sameLength3("a2cid2Exchange", x, xt, xj);
    this.distinct("a2cid2Exchange", buffers);
    this.run(A2CID2_EXCHANGE, buffers, x.length, [alpha, alphaTilde]);
  }

  a2cid2GradientStep(
    x: Vec,
    xt: Vec,
    m: Vec,
    g: Vec,
    a: number,
    b: number,
    lr: number,
    momentum: number,
    weightDecay: number,
  ): void {
    const buffers = [
      this.bufferOf("a2cid2GradientStep", x),
      this.bufferOf("a2cid2GradientStep", xt),
      this.bufferOf("a2cid2GradientStep", m),
      this.bufferOf("a2cid2GradientStep", g),
    ];
    sameLength4("a2cid2GradientStep", x, xt, m, g);
    this.distinct("a2cid2GradientStep", buffers);
    this.run(A2CID2_GRADIENT_STEP, buffers, x.length, [a, b, lr, momentum, weightDecay]);
  }

  linear6(s: readonly [Vec, Vec, Vec, Vec, Vec, Vec], e: Float64Array): void {
    const buffers = s.map((v) => this.bufferOf("linear6", v));
    checkLinear6(s, e);
    this.distinct("linear6", buffers);
    this.run(LINEAR6, buffers, s[0].length, e);
  }

  /** Bad arguments reject with the same RangeError or TypeError as on the CPU. */
  dot(x: Vec, y: Vec): Promise<number> {
    return this.reduce("dot", x, y);
  }

  squaredDistance(x: Vec, y: Vec): Promise<number> {
    return this.reduce("squaredDistance", x, y);
  }

  sgdMomentum(x: Vec, m: Vec, g: Vec, lr: number, momentum: number, weightDecay: number): void {
    const buffers = [
      this.bufferOf("sgdMomentum", x),
      this.bufferOf("sgdMomentum", m),
      this.bufferOf("sgdMomentum", g),
    ];
    sameLength3("sgdMomentum", x, m, g);
    this.distinct("sgdMomentum", buffers);
    this.run(SGD_MOMENTUM, buffers, x.length, [lr, momentum, weightDecay]);
  }

  adamw(
    x: Vec,
    m: Vec,
    v: Vec,
    g: Vec,
    t: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
  ): void {
    const buffers = [
      this.bufferOf("adamw", x),
      this.bufferOf("adamw", m),
      this.bufferOf("adamw", v),
      this.bufferOf("adamw", g),
    ];
    sameLength4("adamw", x, m, v, g);
    checkAdamStep(t);
    this.distinct("adamw", buffers);
    const decay = 1 - lr * weightDecay;
    const stepSize = lr / (1 - beta1 ** t);
    const invSqrtBc2 = 1 / Math.sqrt(1 - beta2 ** t);
    this.run(ADAMW, buffers, x.length, [
      decay,
      beta1,
      1 - beta1,
      beta2,
      1 - beta2,
      stepSize,
      invSqrtBc2,
      eps,
    ]);
  }

  private async reduce(kind: ReductionKind, x: Vec, y: Vec): Promise<number> {
    const xb = this.bufferOf(kind, x);
    const yb = this.bufferOf(kind, y);
    sameLength2(kind, x, y);
    if (x.length === 0) return 0;
    recordReduction(this.ctx, this.workgroupSize, kind, this.scratch, xb, yb, x.length);
    return new Float32Array(await this.ctx.read(this.scratch, 4 * MAX_PARTIALS, 4))[0]!;
  }

  private run(op: Vec4Op, buffers: readonly GPUBuffer[], n: number, scalars: ArrayLike<number>): void {
    recordVec4(this.ctx, this.workgroupSize, op, buffers, n, Array.from(scalars));
  }

  /** The buffer of `x`, which must be a vector of these kernels: a TypeError otherwise. */
  private bufferOf(op: string, x: Vec): GPUBuffer {
    if (!(x instanceof GpuVec) || x.owner !== this)
      throw new TypeError(`${op}: not a vector of these WebGPU kernels`);
    return x.buffer;
  }

  private distinct(op: string, buffers: readonly GPUBuffer[]): void {
    if (new Set(buffers).size !== buffers.length)
      throw new RangeError(
        `${op}: the vectors must be distinct (a device cannot write a buffer it binds twice)`,
      );
  }
}
