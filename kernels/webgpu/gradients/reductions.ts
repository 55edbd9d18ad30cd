/**
 * Reductions shared by the gradient kernels: the mini-batch loss (a sum of per-sample terms, scaled,
 * plus an optional ridge term) and column sums (bias gradients).
 */
import type { GpuContext } from "../context.ts";
import { FLAT_INDEX } from "../wgsl.ts";
import { groupsFor, WORKGROUP } from "./device-data.ts";

const REDUCE_THREADS = 64;

/**
 * One workgroup: strided partial sums, then a tree in workgroup memory. One group is enough: the
 * terms are one per sample (≤ a shard) and the ridge one per parameter of a linear model (≤ 500).
 */
const LOSS_WGSL = /* wgsl */ `
struct Params { count: u32, termsOffset: u32, outIndex: u32, ridgeCount: u32, scale: f32, ridge: f32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> terms: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
var<workgroup> partial: array<f32, ${REDUCE_THREADS}>;

@compute @workgroup_size(${REDUCE_THREADS})
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var i = lid; i < u.count; i += ${REDUCE_THREADS}u) { s += terms[u.termsOffset + i]; }
  var r = 0.0;
  for (var j = lid; j < u.ridgeCount; j += ${REDUCE_THREADS}u) { let v = x[j]; r += v * v; }
  partial[lid] = s * u.scale + r * u.ridge;
  workgroupBarrier();
  for (var stride = ${REDUCE_THREADS / 2}u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) { partial[lid] += partial[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) { out[u.outIndex] = partial[0]; }
}
`;

export interface LossReduction {
  /** Number of per-sample terms, read from `terms` at `termsOffset`. */
  readonly count: number;
  readonly termsOffset: number;
  /** Multiplies the sum of the terms (1/b for a mean). */
  readonly scale: number;
  /** Coefficient of Σ x_j² over the first `ridgeCount` entries of `x` (λ/2; 0 for none). */
  readonly ridge: number;
  readonly ridgeCount: number;
  /** Where in `out` the loss goes. */
  readonly outIndex: number;
}

/** Records out[outIndex] ← scale·Σ terms + ridge·Σ x². */
export function reduceLoss(
  ctx: GpuContext,
  out: GPUBuffer,
  terms: GPUBuffer,
  x: GPUBuffer,
  r: LossReduction,
): void {
  const params = new ArrayBuffer(24);
  new Uint32Array(params, 0, 4).set([r.count, r.termsOffset, r.outIndex, r.ridgeCount]);
  new Float32Array(params, 16, 2).set([r.scale, r.ridge]);
  ctx.dispatch(ctx.pipeline(LOSS_WGSL), [out, terms, x], params, 1);
}

const COLUMN_SUMS_WGSL = /* wgsl */ `
struct Params { rows: u32, cols: u32, outOffset: u32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> src: array<f32>;
${FLAT_INDEX}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = flatIndex(wid, lid, ${WORKGROUP}u);
  if (j >= u.cols) { return; }
  var s = 0.0;
  for (var r = 0u; r < u.rows; r++) { s += src[r * u.cols + j]; }
  out[u.outOffset + j] = s;
}
`;

/** Records out[outOffset + j] ← Σ_r src[r·cols + j] for a rows×cols row-major `src`. */
export function columnSums(
  ctx: GpuContext,
  out: GPUBuffer,
  src: GPUBuffer,
  rows: number,
  cols: number,
  outOffset: number,
): void {
  const params = new Uint32Array([rows, cols, outOffset]).buffer;
  ctx.dispatch(ctx.pipeline(COLUMN_SUMS_WGSL), [out, src], params, groupsFor(cols));
}
