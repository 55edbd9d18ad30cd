// WebGPU kernel throughput on whatever adapter opens (here: the GLES llvmpipe software adapter), each
// beside a single-threaded Float32Array loop doing the same work: matmul n = 1024 (GFLOP/s, 2n³ flops)
// and axpy at 16 M floats (GB/s, 12 bytes per coordinate). The data stays on the device; a GPU call is
// timed from recording to `onSubmittedWorkDone` (on GLES `submit()` itself runs the work, §5.4 of
// webgpu-on-linux.md, so host time is GPU time). A benchmark measures; it asserts nothing.
//
// Standalone: `npx tsx bench/kernels-webgpu.ts [--tilings]` (`--tilings`: every matmul tiling).
import { fileURLToPath } from "node:url";
import { GpuContext } from "../kernels/webgpu/context.ts";
import { defaultMatmulTiling, MATMUL_TILINGS, type MatmulTiling, matmul } from "../kernels/webgpu/matmul.ts";
import { WebGpuKernels } from "../kernels/webgpu/webgpu-kernels.ts";
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

/** Best seconds of `reps` runs of `body` after one warm-up. */
async function bestSeconds(reps: number, body: () => Promise<void> | void): Promise<number> {
  await body();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    await body();
    best = Math.min(best, (performance.now() - start) / 1e3);
  }
  return best;
}

function ramp(n: number, offset: number): Float32Array {
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.sin(i + offset);
  return values;
}

/** C = A·B, row-major n×n, i-k-j order (the cache-friendly plain loop). */
function plainMatmul(c: Float32Array, a: Float32Array, b: Float32Array, n: number): void {
  c.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let p = 0; p < n; p++) {
      const av = a[row + p]!;
      const brow = p * n;
      for (let j = 0; j < n; j++) c[row + j] = c[row + j]! + av * b[brow + j]!;
    }
  }
}

function plainAxpy(y: Float32Array, a: number, x: Float32Array): void {
  const n = y.length;
  for (let i = 0; i < n; i++) y[i] = y[i]! + a * x[i]!;
}

async function matmulGflops(ctx: GpuContext, n: number, tiling: MatmulTiling, reps: number): Promise<number> {
  const [a, b, c] = [ctx.storage(4 * n * n), ctx.storage(4 * n * n), ctx.storage(4 * n * n)];
  ctx.write(a, ramp(n * n, 0));
  ctx.write(b, ramp(n * n, 1));
  const seconds = await bestSeconds(reps, async () => {
    matmul(ctx, c, a, b, { m: n, n, k: n }, tiling);
    await ctx.finish();
  });
  for (const buffer of [a, b, c]) buffer.destroy();
  return (2 * n ** 3) / seconds / 1e9;
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
  const [a, b, c] = [ramp(n * n, 0), ramp(n * n, 1), new Float32Array(n * n)];
  const plainGflops = (2 * n ** 3) / (await bestSeconds(2, () => plainMatmul(c, a, b, n))) / 1e9;
  for (const [name, tiling] of tilings)
    rows.push({
      name: `matmul-1024${name === "default" ? "" : `-${name}`}`,
      gpu: await matmulGflops(ctx, n, tiling, 5),
      plain: plainGflops,
      unit: "GFLOP/s",
      bar: "≥ 3× a plain loop",
    });

  const d = 16 * 2 ** 20;
  const k = new WebGpuKernels(ctx);
  const [x, y] = [k.fromArray(ramp(d, 0)), k.fromArray(ramp(d, 1))];
  const gpuSeconds = await bestSeconds(9, async () => {
    k.axpy(y, 1e-3, x);
    await ctx.finish();
  });
  k.release(x);
  k.release(y);
  const [px, py] = [ramp(d, 0), ramp(d, 1)];
  const plainSeconds = await bestSeconds(9, () => plainAxpy(py, 1e-3, px));
  rows.push({
    name: "axpy-16M",
    gpu: (12 * d) / gpuSeconds / 1e9,
    plain: (12 * d) / plainSeconds / 1e9,
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
