// WebGPU kernel throughput on whatever adapter opens (here: the GLES llvmpipe software adapter), each
// beside a single-threaded Float32Array loop doing the same work: matmul n = 1024 (GFLOP/s, 2n³ flops)
// and axpy at 16 M floats (GB/s, 12 bytes per coordinate). The data stays on the device; a GPU call is
// timed from recording to `onSubmittedWorkDone` (on GLES `submit()` itself runs the work, §5.4 of
// webgpu-on-linux.md, so host time is GPU time). The measurements are calibrate's own
// (runtime/calibration/kernels.ts: medians, the plain matmul timed at n = 256 where its rate is already
// flat), so bench and calibrate report the same thing. A benchmark measures; it asserts nothing.
//
// Standalone: `npx tsx bench/kernels-webgpu.ts [--tilings]` (`--tilings`: every matmul tiling).
import { fileURLToPath } from "node:url";
import { GpuContext } from "../kernels/webgpu/context.ts";
import { defaultMatmulTiling, MATMUL_TILINGS } from "../kernels/webgpu/matmul.ts";
import { WebGpuKernels } from "../kernels/webgpu/webgpu-kernels.ts";
import { measureAxpy, measureMatmul } from "../runtime/calibration/kernels.ts";
import { GpuUnavailableError, openAdapter, requestComputeDevice } from "../runtime/gpu/dawn.ts";

export interface GpuKernelRow {
  readonly name: string;
  /** GFLOP/s (matmul) or GB/s (axpy), best repetition. */
  readonly gpu: number;
  readonly plain: number;
  readonly unit: "GFLOP/s" | "GB/s";
  readonly bar: string;
}

export interface GpuKernelBench {
  readonly device: string;
  readonly rows: GpuKernelRow[];
}

export async function webgpuKernelBench(options: { tilings?: boolean } = {}): Promise<GpuKernelBench> {
  const opened = await openAdapter();
  const ctx = new GpuContext(await requestComputeDevice(opened));
  const rows: GpuKernelRow[] = [];
  const n = 1024;
  const tilings =
    options.tilings === true
      ? Object.entries(MATMUL_TILINGS)
      : [["default", defaultMatmulTiling(ctx.device)] as const];
  for (const [name, tiling] of tilings) {
    const m = await measureMatmul(ctx, n, 5, tiling);
    rows.push({
      name: `matmul-1024${name === "default" ? "" : `-${name}`}`,
      gpu: m.rate / 1e9,
      plain: m.plainLoopRate / 1e9,
      unit: "GFLOP/s",
      bar: "≥ 3× a plain loop",
    });
  }
  const axpy = await measureAxpy(new WebGpuKernels(ctx), ctx, 16 * 2 ** 20, 9);
  rows.push({
    name: "axpy-16M",
    gpu: axpy.rate / 1e9,
    plain: axpy.plainLoopRate / 1e9,
    unit: "GB/s",
    bar: "≥ 1.5× a plain loop",
  });
  ctx.device.destroy();
  return { device: `${opened.backend}: ${opened.description}`, rows };
}

/** The rows, or why there are none (no adapter: the message says what to install). */
export async function webgpuKernelBenchOrReason(): Promise<GpuKernelBench | string> {
  try {
    return await webgpuKernelBench();
  } catch (error) {
    if (error instanceof GpuUnavailableError) return error.message;
    throw error;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await webgpuKernelBench({ tilings: process.argv.includes("--tilings") });
  console.log(`device: ${result.device}`);
  console.table(
    result.rows.map((r) => ({
      name: r.name,
      webgpu: `${r.gpu.toFixed(2)} ${r.unit}`,
      "plain loop": `${r.plain.toFixed(2)} ${r.unit}`,
      ratio: (r.gpu / r.plain).toFixed(2),
      bar: r.bar,
    })),
  );
}
