/**
 * Mini-batch gradients of the linear models (least squares, logistic regression) on a GpuContext,
 * matching sim/problems/linear-model.ts: with z_s = a_{k_s}ᵀx and c_s = φ'(z_s, t_{k_s}),
 *
 *     g = (1/b) Σ_s c_s a_{k_s} + λx,     loss = (1/b) Σ_s φ(z_s, t_{k_s}) + (λ/2)‖x‖².
 *
 * Three dispatches: one thread per sample (z, φ, φ'), one thread per coordinate (the weighted sum of
 * the batch's rows — no atomics, each thread owns g_j), one workgroup for the loss. The shard's
 * features and targets are uploaded once; per call, x and the batch's indices.
 */
import type { GpuContext } from "../context.ts";
import { FLAT_INDEX } from "../wgsl.ts";
import {
  GrowingBuffer,
  groupsFor,
  identityIndices,
  uploadBatch,
  uploadOnce,
  WORKGROUP,
} from "./device-data.ts";
import type { GpuGradient } from "./gpu-gradient.ts";
import { reduceLoss } from "./reductions.ts";

export type LinearLoss = "least-squares" | "logistic";

/** One worker's shard of a linear model, as the problem holds it. */
export interface LinearShard {
  readonly loss: LinearLoss;
  readonly dimension: number;
  /** λ of the ridge term (λ/2)‖x‖². */
  readonly l2: number;
  /** m×d row-major. */
  readonly features: ArrayLike<number>;
  /** m targets (regression values, or labels ±1). */
  readonly targets: ArrayLike<number>;
}

/**
 * φ(z, t) and φ'(z, t) in WGSL, the same functions as least-squares.ts and logistic.ts (softplus and
 * sigmoid in their overflow-free forms; WGSL has no log1p, so log(1 + e^−|u|) loses relative precision
 * only where the term is below float32's resolution of the sum anyway).
 */
const SAMPLE_LOSS: Record<LinearLoss, string> = {
  "least-squares": /* wgsl */ `
fn sampleLoss(z: f32, t: f32) -> f32 { let r = z - t; return 0.5 * r * r; }
fn sampleSlope(z: f32, t: f32) -> f32 { return z - t; }
`,
  logistic: /* wgsl */ `
fn softplus(u: f32) -> f32 { return max(u, 0.0) + log(1.0 + exp(-abs(u))); }
fn sigmoid(u: f32) -> f32 {
  let e = exp(-abs(u));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), u >= 0.0);
}
fn sampleLoss(z: f32, y: f32) -> f32 { return softplus(-y * z); }
fn sampleSlope(z: f32, y: f32) -> f32 { return -y * sigmoid(-y * z); }
`,
};

/** Per sample s: terms[s] = φ'(z_s), terms[b + s] = φ(z_s). */
function samplesWgsl(loss: LinearLoss): string {
  return /* wgsl */ `
struct Params { b: u32, d: u32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> terms: array<f32>;
@group(0) @binding(2) var<storage, read> features: array<f32>;
@group(0) @binding(3) var<storage, read> targets: array<f32>;
@group(0) @binding(4) var<storage, read> x: array<f32>;
@group(0) @binding(5) var<storage, read> batch: array<u32>;
${FLAT_INDEX}
${SAMPLE_LOSS[loss]}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let s = flatIndex(wid, lid, ${WORKGROUP}u);
  if (s >= u.b) { return; }
  let k = batch[s];
  let row = k * u.d;
  var z = 0.0;
  for (var j = 0u; j < u.d; j++) { z = fma(features[row + j], x[j], z); }
  let t = targets[k];
  terms[s] = sampleSlope(z, t);
  terms[u.b + s] = sampleLoss(z, t);
}
`;
}

/** Per coordinate j: g_j = (1/b) Σ_s terms[s]·a_{k_s, j} + λ x_j. */
const GRADIENT_WGSL = /* wgsl */ `
struct Params { b: u32, d: u32, l2: f32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> g: array<f32>;
@group(0) @binding(2) var<storage, read> terms: array<f32>;
@group(0) @binding(3) var<storage, read> features: array<f32>;
@group(0) @binding(4) var<storage, read> x: array<f32>;
@group(0) @binding(5) var<storage, read> batch: array<u32>;
${FLAT_INDEX}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = flatIndex(wid, lid, ${WORKGROUP}u);
  if (j >= u.d) { return; }
  var acc = 0.0;
  for (var s = 0u; s < u.b; s++) { acc = fma(terms[s], features[batch[s] * u.d + j], acc); }
  g[j] = acc / f32(u.b) + u.l2 * x[j];
}
`;

/** The gradient of one worker's linear model on `ctx`; buffers live until `destroy`. */
export function createLinearGradient(ctx: GpuContext, shard: LinearShard): GpuGradient {
  const d = shard.dimension;
  const m = shard.targets.length;
  if (shard.features.length !== m * d)
    throw new RangeError(`linear model: ${shard.features.length} feature values for ${m} samples of ${d}`);
  const features = uploadOnce(ctx, Float32Array.from(shard.features));
  const targets = uploadOnce(ctx, Float32Array.from(shard.targets));
  const allSamples = uploadOnce(ctx, identityIndices(m));
  const x = ctx.storage(d * 4);
  const batchIndices = new GrowingBuffer(ctx, 1);
  const terms = new GrowingBuffer(ctx, 2);
  // g in [0, d), the loss at d: one readback for both.
  const out = ctx.storage((d + 1) * 4);
  const samples = ctx.pipeline(samplesWgsl(shard.loss));
  const gradient = ctx.pipeline(GRADIENT_WGSL);

  return {
    dimension: d,
    shardSize: m,
    async gradient(xHost, batch, g) {
      if (xHost.length !== d || g.length !== d)
        throw new RangeError(`gradient: x and g must have ${d} values, got ${xHost.length} and ${g.length}`);
      const b = batch === undefined ? m : batch.length;
      const termsBuffer = terms.forSamples(b);
      let indices = allSamples;
      if (batch !== undefined) {
        indices = batchIndices.forSamples(b);
        uploadBatch(ctx, indices, batch, m);
      }
      ctx.write(x, xHost);
      const sizes = new Uint32Array([b, d]).buffer;
      ctx.dispatch(samples, [termsBuffer, features, targets, x, indices], sizes, groupsFor(b));
      const params = new ArrayBuffer(12);
      new Uint32Array(params, 0, 2).set([b, d]);
      new Float32Array(params, 8, 1)[0] = shard.l2;
      ctx.dispatch(gradient, [out, termsBuffer, features, x, indices], params, groupsFor(d));
      reduceLoss(ctx, out, termsBuffer, x, {
        count: b,
        termsOffset: b,
        scale: 1 / b,
        ridge: shard.l2 / 2,
        ridgeCount: shard.l2 === 0 ? 0 : d,
        outIndex: d,
      });
      const result = new Float32Array(await ctx.read(out, 0, (d + 1) * 4));
      g.set(result.subarray(0, d));
      return result[d]!;
    },
    destroy() {
      for (const buffer of [features, targets, allSamples, x, out]) buffer.destroy();
      batchIndices.destroy();
      terms.destroy();
    },
  };
}
