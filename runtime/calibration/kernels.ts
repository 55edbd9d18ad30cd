import { GpuContext } from "../../kernels/webgpu/context.ts";
import { defaultMatmulTiling, type MatmulTiling, matmul } from "../../kernels/webgpu/matmul.ts";
import { type GpuVec, WebGpuKernels } from "../../kernels/webgpu/webgpu-kernels.ts";
import { plainAxpyRate, plainMatmulRate, ramp } from "./plain-loops.ts";
import { medianSeconds } from "./timing.ts";

/**
 * Kernel throughput on a device, each beside a single-threaded Float32Array loop doing the same work:
 * matmul (2n³ FLOPs: what peakFlops means) and axpy (12 bytes per coordinate: what memoryBandwidth
 * means). Data stays on the device; a call is timed from recording to `onSubmittedWorkDone`.
 * Also the fixed costs: one tiny dispatch + readback round trip, host → device and device → host.
 */
export interface KernelMeasurement {
  readonly kernel: string;
  readonly size: number;
  readonly seconds: number;
  readonly rate: number;
  readonly unit: "FLOP/s" | "B/s";
  readonly plainLoopRate: number;
}

export async function measureMatmul(
  ctx: GpuContext,
  n: number,
  reps: number,
  tiling: MatmulTiling = defaultMatmulTiling(ctx.device),
): Promise<KernelMeasurement> {
  const bytes = n * n * 4;
  const [a, b, c] = [ctx.storage(bytes), ctx.storage(bytes), ctx.storage(bytes)];
  try {
    ctx.write(a, ramp(n * n, 1));
    ctx.write(b, ramp(n * n, 2));
    const seconds = await medianSeconds(reps, async () => {
      matmul(ctx, c, a, b, { m: n, n, k: n }, tiling);
      await ctx.finish();
    });
    const flops = 2 * n ** 3;
    // The plain loop at n ≥ 512 takes seconds: time it at 256 (its rate is flat in n past L1).
    const plainLoopRate = await plainMatmulRate(Math.min(n, 256));
    return { kernel: "matmul", size: n, seconds, rate: flops / seconds, unit: "FLOP/s", plainLoopRate };
  } finally {
    for (const buffer of [a, b, c]) buffer.destroy();
  }
}

export async function measureAxpy(
  kernels: WebGpuKernels,
  ctx: GpuContext,
  n: number,
  reps: number,
): Promise<KernelMeasurement> {
  const x = kernels.fromArray(ramp(n, 1)) as GpuVec;
  const y = kernels.fromArray(ramp(n, 2)) as GpuVec;
  try {
    const seconds = await medianSeconds(reps, async () => {
      kernels.axpy(y, 1e-3, x);
      await ctx.finish();
    });
    const bytes = 12 * n;
    return {
      kernel: "axpy",
      size: n,
      seconds,
      rate: bytes / seconds,
      unit: "B/s",
      plainLoopRate: await plainAxpyRate(n),
    };
  } finally {
    kernels.release(x);
    kernels.release(y);
  }
}

/** One dispatch of a one-element kernel and the readback of its result, seconds (median). */
export async function measureDispatchLatency(kernels: WebGpuKernels, reps: number): Promise<number> {
  const x = kernels.fromArray([1]);
  try {
    return await medianSeconds(
      reps,
      async () => {
        kernels.scale(x, 1.0000001);
        await kernels.read(x);
      },
      5,
    );
  } finally {
    kernels.release(x);
  }
}

/** Host → device and device → host bandwidth for `bytes`, bytes per second (median). */
export async function measureCopies(
  ctx: GpuContext,
  bytes: number,
  reps: number,
): Promise<{ hostToDevice: number; deviceToHost: number }> {
  const buffer = ctx.storage(bytes);
  const data = ramp(bytes / 4, 3);
  try {
    const up = await medianSeconds(reps, async () => {
      ctx.write(buffer, data);
      await ctx.finish();
    });
    const down = await medianSeconds(reps, () => ctx.read(buffer, 0, bytes));
    return { hostToDevice: bytes / up, deviceToHost: bytes / down };
  } finally {
    buffer.destroy();
  }
}

export { GpuContext, WebGpuKernels };
