/**
 * Tiled f32 matrix product on a GpuContext: C ← α·op(A)·op(B) + β·C, all row-major, with op(A) M×K,
 * op(B) K×N and C M×N. `transposeA` means A is stored K×M (op(A) = Aᵀ), `transposeB` that B is stored
 * N×K. Any M, N, K ≥ 1: tiles at the edges are bounds-checked (zero-padded loads, guarded stores).
 *
 * Shape of the kernel (why): on llvmpipe a workgroup's invocations run as SIMD lanes of one CPU
 * thread and `workgroupBarrier()` is emulated and expensive, so the classic 16×16 tile with one output
 * per thread is the *slowest* variant (webgpu-on-linux.md §3c). Each invocation therefore keeps a
 * TM×TN block of outputs in registers (vec4 accumulators) and does TM·TN·TK multiply-adds between two
 * barriers; A and B tiles of TS×TK go through workgroup memory (8 KiB for every tiling here, within
 * compatibility mode's 16 KiB). The default is TS 128, 8×8 per invocation, TK 8 (256 invocations: the
 * best kernel measured in webgpu-on-linux.md §3c) when the device's limits allow 256 invocations, else
 * TS 64, 8×8, TK 16 (64 invocations); see `defaultMatmulTiling` and `MATMUL_TILINGS`.
 *
 * Aliasing: C must not be A or B (WebGPU forbids a writable binding aliasing another binding); A and
 * B may be the same buffer (e.g. XᵀX).
 */
import type { GpuContext } from "./context.ts";

export interface MatmulShape {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
  /** C ← op(A)·op(B) + C (β = 1) instead of C ← op(A)·op(B). `beta` overrides it. */
  readonly accumulate?: boolean;
  /** Multiplies the product (default 1). */
  readonly alpha?: number;
  /** Multiplies the old C (default: 1 when `accumulate`, else 0 — and then C is not read at all). */
  readonly beta?: number;
  /** Offsets of the matrices in their buffers, in elements (default 0). */
  readonly aOffset?: number;
  readonly bOffset?: number;
  readonly cOffset?: number;
}

/** A tiling: TS×TS outputs per workgroup, TM×TN per invocation (TN a multiple of 4), K-steps of TK. */
export interface MatmulTiling {
  readonly ts: number;
  readonly tm: number;
  readonly tn: number;
  readonly tk: number;
  /**
   * Interleaved ownership: invocation (tx, ty) owns rows ty + i·(TS/TM) and columns tx + j·(TS/TN)
   * (scalar accumulators), so neighbouring invocations — neighbouring SIMD lanes on llvmpipe — read
   * neighbouring workgroup-memory words and write neighbouring outputs. Otherwise it owns a contiguous
   * TM×TN block (vec4 accumulators).
   */
  readonly interleaved?: boolean;
}

/** Tilings measured on GLES llvmpipe (Mesa 22, 2 cores, n = 1024): `npx tsx bench/kernels-webgpu.ts --tilings`. */
export const MATMUL_TILINGS: Readonly<Record<string, MatmulTiling>> = {
  ts64x8x8k16: { ts: 64, tm: 8, tn: 8, tk: 16 },
  ts64x8x8k16i: { ts: 64, tm: 8, tn: 8, tk: 16, interleaved: true },
  ts128x8x8k8i: { ts: 128, tm: 8, tn: 8, tk: 8, interleaved: true },
  ts128x8x8k8: { ts: 128, tm: 8, tn: 8, tk: 8 },
};

/**
 * The tiling `matmul` uses when given none: TS 128 (256 invocations) where the device allows it —
 * requestComputeDevice raises the limits to the adapter's maxima — else TS 64 (64 invocations, within
 * compatibility mode's default 128).
 */
export function defaultMatmulTiling(device: GPUDevice): MatmulTiling {
  const wide = MATMUL_TILINGS.ts128x8x8k8!;
  const threads = (wide.ts / wide.tm) * (wide.ts / wide.tn);
  const fits =
    device.limits.maxComputeInvocationsPerWorkgroup >= threads &&
    device.limits.maxComputeWorkgroupSizeX >= threads &&
    device.limits.maxComputeWorkgroupStorageSize >= 8 * wide.ts * wide.tk;
  return fits ? wide : MATMUL_TILINGS.ts64x8x8k16!;
}

/** Uniform block: m, n, k, aOffset, bOffset, cOffset (u32), alpha, beta (f32). */
const UNIFORM_FLOATS = 8;

/**
 * The WGSL for one variant. Loops over the per-thread block are unrolled here in JS (constant
 * indices, so LLVM keeps the accumulators in registers rather than in an indexed array on the stack).
 */
export function matmulWgsl(
  t: MatmulTiling,
  transposeA: boolean,
  transposeB: boolean,
  readC: boolean,
): string {
  const { ts, tm, tn, tk } = t;
  if (tn % 4 !== 0 || ts % tm !== 0 || ts % tn !== 0)
    throw new RangeError("matmul tiling: TN must divide by 4, TM and TN must divide TS");
  const threadsY = ts / tm;
  const threadsX = ts / tn;
  const threads = threadsX * threadsY;
  const tileElems = ts * tk;
  if (tileElems % threads !== 0)
    throw new RangeError("matmul tiling: TS·TK must be a multiple of the invocation count");
  const loadsPerThread = tileElems / threads;
  const vecsPerRow = tn / 4;

  // Tile layouts in workgroup memory: As[kk][row], Bs[kk][col] (K-major, so a thread's TM rows and
  // TN columns are contiguous and B's are read as vec4).
  // Global loads: consecutive invocations take consecutive addresses of the stored matrix.
  const loadA = transposeA
    ? // A stored K×M: element (row, kk) at (k0+kk)*M + row; row varies fastest.
      `let r = e % ${ts}u; let kk = e / ${ts}u; let gr = row0 + r; let gk = k0 + kk;
      var v = 0.0; if (gr < u.m && gk < u.k) { v = a[u.aOffset + gk * u.m + gr]; }
      As[kk * ${ts}u + r] = v;`
    : `let kk = e % ${tk}u; let r = e / ${tk}u; let gr = row0 + r; let gk = k0 + kk;
      var v = 0.0; if (gr < u.m && gk < u.k) { v = a[u.aOffset + gr * u.k + gk]; }
      As[kk * ${ts}u + r] = v;`;
  const loadB = transposeB
    ? // B stored N×K: element (kk, col) at col*K + (k0+kk); kk varies fastest.
      `let kk = e % ${tk}u; let c = e / ${tk}u; let gc = col0 + c; let gk = k0 + kk;
      var v = 0.0; if (gc < u.n && gk < u.k) { v = b[u.bOffset + gc * u.k + gk]; }
      Bs[kk * ${ts}u + c] = v;`
    : `let c = e % ${ts}u; let kk = e / ${ts}u; let gc = col0 + c; let gk = k0 + kk;
      var v = 0.0; if (gc < u.n && gk < u.k) { v = b[u.bOffset + gk * u.n + gc]; }
      Bs[kk * ${ts}u + c] = v;`;

  const lines: string[] = [];
  const decl: string[] = [];
  const store: string[] = [];
  if (t.interleaved === true) {
    const acc = (i: number, j: number) => `acc${i}_${j}`;
    for (let i = 0; i < tm; i++) for (let j = 0; j < tn; j++) decl.push(`var ${acc(i, j)} = 0.0;`);
    lines.push(`let base = kk * ${ts}u;`);
    for (let j = 0; j < tn; j++) lines.push(`let b${j} = Bs[base + tx + ${j * threadsX}u];`);
    for (let i = 0; i < tm; i++) {
      lines.push(`let a${i} = As[base + ty + ${i * threadsY}u];`);
      for (let j = 0; j < tn; j++) lines.push(`${acc(i, j)} = fma(a${i}, b${j}, ${acc(i, j)});`);
    }
    for (let i = 0; i < tm; i++) {
      store.push(`{ let gr = row0 + ty + ${i * threadsY}u; if (gr < u.m) {`);
      for (let j = 0; j < tn; j++) {
        const value = readC ? `u.alpha * ${acc(i, j)} + u.beta * c[idx]` : `u.alpha * ${acc(i, j)}`;
        store.push(
          `  { let gc = col0 + tx + ${j * threadsX}u; if (gc < u.n) { let idx = u.cOffset + gr * u.n + gc; c[idx] = ${value}; } }`,
        );
      }
      store.push("} }");
    }
  } else {
    const acc = (i: number, j: number) => `acc${i}_${j}`;
    for (let i = 0; i < tm; i++)
      for (let j = 0; j < vecsPerRow; j++) decl.push(`var ${acc(i, j)} = vec4f(0.0);`);
    lines.push(`let ab = kk * ${ts}u + ty * ${tm}u;`);
    lines.push(`let bb = kk * ${ts}u + tx * ${tn}u;`);
    for (let j = 0; j < vecsPerRow; j++)
      lines.push(
        `let b${j} = vec4f(Bs[bb + ${4 * j}u], Bs[bb + ${4 * j + 1}u], Bs[bb + ${4 * j + 2}u], Bs[bb + ${4 * j + 3}u]);`,
      );
    for (let i = 0; i < tm; i++) {
      lines.push(`let a${i} = As[ab + ${i}u];`);
      for (let j = 0; j < vecsPerRow; j++)
        lines.push(`${acc(i, j)} = fma(vec4f(a${i}), b${j}, ${acc(i, j)});`);
    }
    for (let i = 0; i < tm; i++) {
      store.push(`{ let gr = row0 + ty * ${tm}u + ${i}u; if (gr < u.m) {`);
      for (let j = 0; j < vecsPerRow; j++)
        for (let q = 0; q < 4; q++) {
          const col = 4 * j + q;
          const comp = "xyzw"[q];
          const value = readC
            ? `u.alpha * ${acc(i, j)}.${comp} + u.beta * c[idx]`
            : `u.alpha * ${acc(i, j)}.${comp}`;
          store.push(
            `  { let gc = col0 + tx * ${tn}u + ${col}u; if (gc < u.n) { let idx = u.cOffset + gr * u.n + gc; c[idx] = ${value}; } }`,
          );
        }
      store.push("} }");
    }
  }

  return /* wgsl */ `
struct Params { m: u32, n: u32, k: u32, aOffset: u32, bOffset: u32, cOffset: u32, alpha: f32, beta: f32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> c: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
var<workgroup> As: array<f32, ${tileElems}>;
var<workgroup> Bs: array<f32, ${tileElems}>;

@compute @workgroup_size(${threads})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let tilesN = (u.n + ${ts - 1}u) / ${ts}u;
  let group = wid.x + wid.y * 65535u;
  let row0 = (group / tilesN) * ${ts}u;
  let col0 = (group % tilesN) * ${ts}u;
  let tx = lid % ${threadsX}u;
  let ty = lid / ${threadsX}u;
  ${decl.join("\n  ")}
  for (var k0 = 0u; k0 < u.k; k0 += ${tk}u) {
    for (var l = 0u; l < ${loadsPerThread}u; l++) {
      let e = l * ${threads}u + lid;
      { ${loadA} }
      { ${loadB} }
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${tk}u; kk++) {
      ${lines.join("\n      ")}
    }
    workgroupBarrier();
  }
  ${store.join("\n  ")}
}
`;
}

function checkDimension(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 0xffffffff)
    throw new RangeError(`matmul: ${name} must be a positive integer, got ${value}`);
}

function checkOffset(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
    throw new RangeError(`matmul: ${name} must be a non-negative integer, got ${value}`);
}

/**
 * Records C ← α·op(A)·op(B) + β·C as one dispatch on `ctx` (submitted with the context's batch).
 * Buffer sizes are the caller's responsibility (a read past the end of a binding is clamped by
 * WebGPU's robustness rules, not an error).
 */
export function matmul(
  ctx: GpuContext,
  c: GPUBuffer,
  a: GPUBuffer,
  b: GPUBuffer,
  shape: MatmulShape,
  tiling: MatmulTiling = defaultMatmulTiling(ctx.device),
): void {
  const { m, n, k } = shape;
  checkDimension("m", m);
  checkDimension("n", n);
  checkDimension("k", k);
  const aOffset = shape.aOffset ?? 0;
  const bOffset = shape.bOffset ?? 0;
  const cOffset = shape.cOffset ?? 0;
  checkOffset("aOffset", aOffset);
  checkOffset("bOffset", bOffset);
  checkOffset("cOffset", cOffset);
  if (c === a || c === b) throw new RangeError("matmul: C must be a different buffer from A and B");
  const alpha = shape.alpha ?? 1;
  const beta = shape.beta ?? (shape.accumulate === true ? 1 : 0);
  const readC = beta !== 0;
  const code = matmulWgsl(tiling, shape.transposeA === true, shape.transposeB === true, readC);
  const pipeline = ctx.pipeline(code);
  const params = new ArrayBuffer(UNIFORM_FLOATS * 4);
  new Uint32Array(params, 0, 6).set([m, n, k, aOffset, bOffset, cOffset]);
  new Float32Array(params, 24, 2).set([alpha, beta]);
  const groups = Math.ceil(m / tiling.ts) * Math.ceil(n / tiling.ts);
  ctx.dispatch(pipeline, [c, a, b], params, groups);
}
