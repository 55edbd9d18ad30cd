// CPU-kernel throughput: axpy, mix2 and linear6 through the `Kernels` interface, each beside a plain
// inline Float32Array loop doing the same arithmetic on the same bytes (the bar: the kernel reaches
// ≥ 0.5× of the plain loop). A benchmark measures; it asserts nothing.
import { CpuKernels } from "../kernels/cpu.ts";

export interface KernelThroughputRow {
  /** "axpy", "mix2" or "linear6". */
  readonly op: string;
  /** Vector length. */
  readonly d: number;
  /** Bytes moved per call: every float32 read and written once (axpy 12·d, mix2 16·d, linear6 48·d). */
  readonly bytesPerCall: number;
  /** Through `CpuKernels`, GB/s (10⁹ bytes per second), best batch. */
  readonly kernelGBs: number;
  /** The plain inline loop, GB/s, best batch. */
  readonly plainGBs: number;
  /** kernelGBs / plainGBs. */
  readonly ratio: number;
}

function plainAxpy(y: Float32Array, a: number, x: Float32Array): void {
  const n = y.length;
  for (let i = 0; i < n; i++) y[i] = y[i]! + a * x[i]!;
}

function plainMix2(x: Float32Array, xt: Float32Array, a: number, b: number): void {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const ti = xt[i]!;
    x[i] = a * xi + b * ti;
    xt[i] = a * ti + b * xi;
  }
}

function plainLinear6(s: readonly Float32Array[], e: Float64Array): void {
  const d0 = s[0]!;
  const d1 = s[1]!;
  const d2 = s[2]!;
  const d3 = s[3]!;
  const d4 = s[4]!;
  const d5 = s[5]!;
  const [e00, e01, e02, e03, e04, e05, e10, e11, e12, e13, e14, e15] = e.subarray(0, 12);
  const [e20, e21, e22, e23, e24, e25, e30, e31, e32, e33, e34, e35] = e.subarray(12, 24);
  const [e40, e41, e42, e43, e44, e45, e50, e51, e52, e53, e54, e55] = e.subarray(24, 36);
  const n = d0.length;
  for (let i = 0; i < n; i++) {
    const v0 = d0[i]!;
    const v1 = d1[i]!;
    const v2 = d2[i]!;
    const v3 = d3[i]!;
    const v4 = d4[i]!;
    const v5 = d5[i]!;
    d0[i] = e00! * v0 + e01! * v1 + e02! * v2 + e03! * v3 + e04! * v4 + e05! * v5;
    d1[i] = e10! * v0 + e11! * v1 + e12! * v2 + e13! * v3 + e14! * v4 + e15! * v5;
    d2[i] = e20! * v0 + e21! * v1 + e22! * v2 + e23! * v3 + e24! * v4 + e25! * v5;
    d3[i] = e30! * v0 + e31! * v1 + e32! * v2 + e33! * v3 + e34! * v4 + e35! * v5;
    d4[i] = e40! * v0 + e41! * v1 + e42! * v2 + e43! * v3 + e44! * v4 + e45! * v5;
    d5[i] = e50! * v0 + e51! * v1 + e52! * v2 + e53! * v3 + e54! * v4 + e55! * v5;
  }
}

/** Seconds per call over a batch of about `batchMs` milliseconds. */
function secondsPerCall(call: () => void, batchMs: number): number {
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < batchMs) {
    for (let j = 0; j < 8; j++) call();
    calls += 8;
    now = performance.now();
  }
  return (now - start) / 1e3 / calls;
}

/**
 * Best GB/s of each side over `batches` batches, the two sides' batches interleaved so that a change
 * in machine load (frequency, other processes) hits both alike. Warm-up first, one batch each.
 */
function compare(
  kernel: () => void,
  plain: () => void,
  bytesPerCall: number,
  batches: number,
  batchMs: number,
): { kernelGBs: number; plainGBs: number } {
  secondsPerCall(kernel, batchMs);
  secondsPerCall(plain, batchMs);
  let [kernelBest, plainBest] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  for (let batch = 0; batch < batches; batch++) {
    kernelBest = Math.min(kernelBest, secondsPerCall(kernel, batchMs));
    plainBest = Math.min(plainBest, secondsPerCall(plain, batchMs));
  }
  return { kernelGBs: bytesPerCall / kernelBest / 1e9, plainGBs: bytesPerCall / plainBest / 1e9 };
}

/** A mixing matrix with non-negative rows summing to one: repeated application stays bounded. */
function averagingMatrix(): Float64Array {
  const e = new Float64Array(36);
  for (let r = 0; r < 6; r++) for (let c = 0; c < 6; c++) e[6 * r + c] = r === c ? 0.5 : 0.1;
  return e;
}

function ramp(n: number, offset: number): Float32Array {
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.sin(i + offset);
  return values;
}

/**
 * Throughput of axpy, mix2 and linear6 at length `d` (default 10⁵, 0.4 MB a vector: in cache on most
 * machines), through CpuKernels and as plain loops, best of `batches` interleaved batches of `batchMs`
 * each, on separate but identically initialised vectors.
 */
export function kernelThroughput(d = 1e5, batches = 10, batchMs = 100): KernelThroughputRow[] {
  const k = new CpuKernels();
  const rows: KernelThroughputRow[] = [];
  const row = (op: string, bytesPerCall: number, kernel: () => void, plain: () => void) => {
    const { kernelGBs, plainGBs } = compare(kernel, plain, bytesPerCall, batches, batchMs);
    rows.push({ op, d, bytesPerCall, kernelGBs, plainGBs, ratio: kernelGBs / plainGBs });
  };

  // Vectors and arrays are reached through mutable arrays, so that neither side's optimised code can
  // fold them in as constants (a plain loop over closure constants gets its lengths and bounds checks
  // folded away, which no real caller sees).
  const vectors = (count: number) => Array.from({ length: count }, (_, j) => k.fromArray(ramp(d, j)));
  const arrays = (count: number) => Array.from({ length: count }, (_, j) => ramp(d, j));
  {
    const v = vectors(2);
    const p = arrays(2);
    row(
      "axpy",
      12 * d,
      () => k.axpy(v[0]!, 1e-3, v[1]!),
      () => plainAxpy(p[0]!, 1e-3, p[1]!),
    );
  }
  {
    const v = vectors(2);
    const p = arrays(2);
    row(
      "mix2",
      16 * d,
      () => k.mix2(v[0]!, v[1]!, 0.75, 0.25),
      () => plainMix2(p[0]!, p[1]!, 0.75, 0.25),
    );
  }
  {
    const e = averagingMatrix();
    const v = vectors(6);
    const p = arrays(6);
    row(
      "linear6",
      48 * d,
      () => k.linear6([v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!], e),
      () => plainLinear6(p, e),
    );
  }
  return rows;
}
