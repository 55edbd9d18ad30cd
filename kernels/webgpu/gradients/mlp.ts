/**
 * Mini-batch gradients of sim/problems/mlp.ts's MLP (784 → H → 10, ReLU, softmax cross-entropy, no
 * weight decay) on a GpuContext, batched over the mini-batch with the tiled matmul. With X the batch's
 * images (B×784), the parameter vector's blocks W1 (784×H), b1, W2 (H×10), b2 (mlp.ts's layout):
 *
 *     forward:   A = relu(X·W1 + b1)                  (B×H)
 *                Z = A·W2 + b2;  ℓ_s = logsumexp(Z_s) − Z_s,label        (B×10)
 *     backward:  D = (softmax(Z) − onehot)/B          (the mean over the batch folded in here)
 *                ∇W2 = Aᵀ·D,  ∇b2 = Σ_s D_s
 *                E = (D·W2ᵀ) ⊙ [A > 0],  ∇b1 = Σ_s E_s,  ∇W1 = Xᵀ·E
 *
 * The matmuls read W1 and W2 straight from x and write ∇W1 and ∇W2 straight into the output buffer
 * (offsets), which holds the gradient in x's layout followed by the loss: one readback. The batch's
 * rows are gathered on the device from the shard, uploaded once; per call only x and the indices move.
 * Unlike mlp.ts, which skips zero pixels sample by sample, the products are dense.
 */
import type { GpuContext } from "../context.ts";
import { MATMUL_TILINGS, type MatmulShape, matmul } from "../matmul.ts";
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
import { columnSums, reduceLoss } from "./reductions.ts";

const PIXELS = 784;
const CLASSES = 10;

/** One worker's shard: its images' pixels and labels, in shard order. */
export interface MlpShard {
  readonly hidden: number;
  /** m×784 row-major, in [0, 1]. */
  readonly pixels: Float32Array;
  /** m labels 0…9. */
  readonly labels: Uint32Array;
}

/**
 * The MLP's products are skinny (B×H outputs with B ~ 32 and H ~ 64, K = 784), so a 128-wide tile
 * (matmul's default where the device allows it) leaves one workgroup — one llvmpipe thread — doing
 * all the work: measured on GLES llvmpipe at B = 32, H = 64, X·W1 took ~31 ms with TS 128 against
 * ~10 ms with TS 64. Smaller tiles, or splitting K, would help more still.
 */
const TILING = MATMUL_TILINGS.ts64x8x8k16;

function product(ctx: GpuContext, c: GPUBuffer, a: GPUBuffer, b: GPUBuffer, shape: MatmulShape): void {
  matmul(ctx, c, a, b, shape, TILING);
}

/** Offsets of the parameter blocks in x (and g), as in mlp.ts. */
function layout(hidden: number) {
  const b1 = PIXELS * hidden;
  const w2 = b1 + hidden;
  const b2 = w2 + hidden * CLASSES;
  return { w1: 0, b1, w2, b2, dimension: b2 + CLASSES };
}

/** X[s, p] = pixels[batch[s], p]. */
const GATHER_WGSL = /* wgsl */ `
struct Params { count: u32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> rows: array<f32>;
@group(0) @binding(2) var<storage, read> pixels: array<f32>;
@group(0) @binding(3) var<storage, read> batch: array<u32>;
${FLAT_INDEX}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = flatIndex(wid, lid, ${WORKGROUP}u);
  if (i >= u.count) { return; }
  rows[i] = pixels[batch[i / ${PIXELS}u] * ${PIXELS}u + i % ${PIXELS}u];
}
`;

/** A ← relu(A + b1), in place over B×H. */
const BIAS_RELU_WGSL = /* wgsl */ `
struct Params { count: u32, hidden: u32, biasOffset: u32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> act: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
${FLAT_INDEX}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = flatIndex(wid, lid, ${WORKGROUP}u);
  if (i >= u.count) { return; }
  act[i] = max(act[i] + x[u.biasOffset + i % u.hidden], 0.0);
}
`;

/**
 * Per sample: logits Z_s + b2, the cross-entropy into losses[s], and Z_s ← (softmax − onehot)/B in
 * place (mlp.ts's stable form: shift by the max logit).
 */
const SOFTMAX_WGSL = /* wgsl */ `
struct Params { b: u32, biasOffset: u32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> losses: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read> labels: array<u32>;
@group(0) @binding(5) var<storage, read> batch: array<u32>;
${FLAT_INDEX}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let s = flatIndex(wid, lid, ${WORKGROUP}u);
  if (s >= u.b) { return; }
  let row = s * ${CLASSES}u;
  var z: array<f32, ${CLASSES}>;
  var top = -3.4e38;
  for (var c = 0u; c < ${CLASSES}u; c++) {
    z[c] = logits[row + c] + x[u.biasOffset + c];
    top = max(top, z[c]);
  }
  var sum = 0.0;
  for (var c = 0u; c < ${CLASSES}u; c++) { sum += exp(z[c] - top); }
  let label = labels[batch[s]];
  losses[s] = log(sum) + top - z[label];
  let scale = 1.0 / f32(u.b);
  for (var c = 0u; c < ${CLASSES}u; c++) {
    let p = exp(z[c] - top) / sum;
    logits[row + c] = (p - select(0.0, 1.0, c == label)) * scale;
  }
}
`;

/** E ← E ⊙ [A > 0]: no gradient through an inactive unit (mlp.ts tests h = 0 after the ReLU). */
const RELU_MASK_WGSL = /* wgsl */ `
struct Params { count: u32 }
@group(0) @binding(0) var<uniform> u: Params;
@group(0) @binding(1) var<storage, read_write> grad: array<f32>;
@group(0) @binding(2) var<storage, read> act: array<f32>;
${FLAT_INDEX}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = flatIndex(wid, lid, ${WORKGROUP}u);
  if (i >= u.count) { return; }
  if (act[i] <= 0.0) { grad[i] = 0.0; }
}
`;

/** The gradient of one worker's MLP shard on `ctx`; buffers live until `destroy`. */
export function createMlpGradient(ctx: GpuContext, shard: MlpShard): GpuGradient {
  const H = shard.hidden;
  const offsets = layout(H);
  const d = offsets.dimension;
  const m = shard.labels.length;
  if (shard.pixels.length !== m * PIXELS)
    throw new RangeError(`mlp: ${shard.pixels.length} pixel values for ${m} images of ${PIXELS}`);
  const pixels = uploadOnce(ctx, shard.pixels);
  const labels = uploadOnce(ctx, shard.labels);
  const allSamples = uploadOnce(ctx, identityIndices(m));
  const x = ctx.storage(d * 4);
  const out = ctx.storage((d + 1) * 4);
  const batchIndices = new GrowingBuffer(ctx, 1);
  const inputs = new GrowingBuffer(ctx, PIXELS); // X
  const hiddens = new GrowingBuffer(ctx, H); // A
  const hiddenGrads = new GrowingBuffer(ctx, H); // E
  const logits = new GrowingBuffer(ctx, CLASSES); // Z, then D
  const losses = new GrowingBuffer(ctx, 1);
  const pipelines = {
    gather: ctx.pipeline(GATHER_WGSL),
    biasRelu: ctx.pipeline(BIAS_RELU_WGSL),
    softmax: ctx.pipeline(SOFTMAX_WGSL),
    reluMask: ctx.pipeline(RELU_MASK_WGSL),
  };
  const u32s = (...values: number[]) => new Uint32Array(values).buffer;

  return {
    dimension: d,
    shardSize: m,
    async gradient(xHost, batch, g) {
      if (xHost.length !== d || g.length !== d)
        throw new RangeError(`gradient: x and g must have ${d} values, got ${xHost.length} and ${g.length}`);
      const B = batch === undefined ? m : batch.length;
      const X = inputs.forSamples(B);
      const A = hiddens.forSamples(B);
      const E = hiddenGrads.forSamples(B);
      const Z = logits.forSamples(B);
      const L = losses.forSamples(B);
      let indices = allSamples;
      if (batch !== undefined) {
        indices = batchIndices.forSamples(B);
        uploadBatch(ctx, indices, batch, m);
      }
      ctx.write(x, xHost);

      // Forward.
      ctx.dispatch(pipelines.gather, [X, pixels, indices], u32s(B * PIXELS), groupsFor(B * PIXELS));
      product(ctx, A, X, x, { m: B, n: H, k: PIXELS, bOffset: offsets.w1 });
      ctx.dispatch(pipelines.biasRelu, [A, x], u32s(B * H, H, offsets.b1), groupsFor(B * H));
      product(ctx, Z, A, x, { m: B, n: CLASSES, k: H, bOffset: offsets.w2 });
      ctx.dispatch(pipelines.softmax, [Z, L, x, labels, indices], u32s(B, offsets.b2), groupsFor(B));

      // Backward (Z now holds D).
      product(ctx, out, A, Z, { m: H, n: CLASSES, k: B, transposeA: true, cOffset: offsets.w2 });
      columnSums(ctx, out, Z, B, CLASSES, offsets.b2);
      product(ctx, E, Z, x, { m: B, n: H, k: CLASSES, transposeB: true, bOffset: offsets.w2 });
      ctx.dispatch(pipelines.reluMask, [E, A], u32s(B * H), groupsFor(B * H));
      columnSums(ctx, out, E, B, H, offsets.b1);
      product(ctx, out, X, E, { m: PIXELS, n: H, k: B, transposeA: true, cOffset: offsets.w1 });
      reduceLoss(ctx, out, L, x, {
        count: B,
        termsOffset: 0,
        scale: 1 / B,
        ridge: 0,
        ridgeCount: 0,
        outIndex: d,
      });

      const result = new Float32Array(await ctx.read(out, 0, (d + 1) * 4));
      g.set(result.subarray(0, d));
      return result[d]!;
    },
    destroy() {
      for (const buffer of [pixels, labels, allSamples, x, out]) buffer.destroy();
      for (const grown of [batchIndices, inputs, hiddens, hiddenGrads, logits, losses]) grown.destroy();
    },
  };
}
