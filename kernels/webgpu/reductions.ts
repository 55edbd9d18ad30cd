/**
 * dot and squaredDistance as a two-stage tree reduction in float32.
 *
 * Stage 1: G ≤ MAX_PARTIALS workgroups; each invocation sums its vec4 terms with a grid stride into a
 * vec4 accumulator, then the workgroup adds its invocations' sums pairwise in workgroup memory and
 * writes one partial. Stage 2: one workgroup adds the G partials the same way. Each result therefore
 * carries about (n/(4·G·WG) serial additions + 2·log₂ WG + a few) roundings: with WG = 256,
 * ≈ 80·u·Σ|terms| at 16 M coordinates and ≈ 20·u at 65 K (u = 2⁻²⁴), against n·u for one serial
 * float32 loop.
 *
 * Both stages use one scratch buffer (partials in [0, MAX_PARTIALS), the result at MAX_PARTIALS).
 * Reusing it between calls is safe: the queue runs in order and each read-back copies the result out
 * before the next reduction's dispatches run.
 */
import type { GpuContext } from "./context.ts";

/** Most workgroups in stage 1, and so most partials. */
export const MAX_PARTIALS = 256;
/** Bytes of the scratch buffer: the partials and the result. */
export const REDUCTION_SCRATCH_BYTES = 4 * (MAX_PARTIALS + 4);

export type ReductionKind = "dot" | "squaredDistance";

const TERM: Record<ReductionKind, string> = {
  dot: "x[i] * y[i]",
  squaredDistance: "(x[i] - y[i]) * (x[i] - y[i])",
};

/** `sums[0] ← Σ sums[0..wg)`, pairwise; ends with every invocation past the last barrier. */
function treeSum(wg: number): string {
  return `workgroupBarrier();
  for (var s = ${wg / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { sums[lid] = sums[lid] + sums[lid + s]; }
    workgroupBarrier();
  }`;
}

function stage1Wgsl(kind: ReductionKind, wg: number): string {
  return /* wgsl */ `// ${kind}: stage 1
struct Params { n: u32, groups: u32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> scratch: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<vec4f>;
@group(0) @binding(3) var<storage, read> y: array<vec4f>;
var<workgroup> sums: array<f32, ${wg}>;

@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let vectors = (u.n + 3u) / 4u;
  var acc = vec4f(0.0);
  for (var i = wid.x * ${wg}u + lid; i < vectors; i += u.groups * ${wg}u) {
    var term = ${TERM[kind]};
    let first = i * 4u;
    if (first + 4u > u.n) {
      // Padding past the length does not count, whatever it holds.
      term = select(vec4f(0.0), term, (vec4u(first) + vec4u(0u, 1u, 2u, 3u)) < vec4u(u.n));
    }
    acc = acc + term;
  }
  sums[lid] = (acc.x + acc.y) + (acc.z + acc.w);
  ${treeSum(wg)}
  if (lid == 0u) { scratch[wid.x] = sums[0]; }
}
`;
}

function stage2Wgsl(wg: number): string {
  return /* wgsl */ `// reduction: stage 2
struct Params { n: u32, groups: u32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> scratch: array<f32>;
var<workgroup> sums: array<f32, ${wg}>;

@compute @workgroup_size(${wg})
fn main(@builtin(local_invocation_index) lid: u32) {
  var acc = 0.0;
  for (var i = lid; i < u.groups; i += ${wg}u) { acc = acc + scratch[i]; }
  sums[lid] = acc;
  ${treeSum(wg)}
  if (lid == 0u) { scratch[${MAX_PARTIALS}u] = sums[0]; }
}
`;
}

const codes = new Map<string, string>();
function code(key: string, make: () => string): string {
  let c = codes.get(key);
  if (c === undefined) {
    c = make();
    codes.set(key, c);
  }
  return c;
}

/**
 * Records the reduction of x and y (n coordinates, n ≥ 1) into `scratch` at float index
 * MAX_PARTIALS. `workgroupSize` must be a power of two.
 */
export function recordReduction(
  ctx: GpuContext,
  workgroupSize: number,
  kind: ReductionKind,
  scratch: GPUBuffer,
  x: GPUBuffer,
  y: GPUBuffer,
  n: number,
): void {
  const groups = Math.min(MAX_PARTIALS, Math.ceil(Math.ceil(n / 4) / workgroupSize));
  const params = new Uint32Array([n, groups]).buffer;
  const stage1 = ctx.pipeline(code(`${kind}/${workgroupSize}`, () => stage1Wgsl(kind, workgroupSize)));
  ctx.dispatch(stage1, [scratch, x, y], params, groups);
  const stage2 = ctx.pipeline(code(`stage2/${workgroupSize}`, () => stage2Wgsl(workgroupSize)));
  ctx.dispatch(stage2, [scratch], params, 1);
}
