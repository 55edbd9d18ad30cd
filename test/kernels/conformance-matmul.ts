/**
 * The matmul kernel (kernels/webgpu/matmul.ts) against a float64 reference: shapes from 1×1×1 to
 * sizes that are not multiples of any tile, every transpose combination, α, β and offsets.
 *
 * Tolerance: every product term is exact in float64 and the kernel sums K float32 products with one
 * fused multiply-add per term, so |error| ≤ K·u·Σₚ|aᵢₚ·bₚⱼ| (+ the β·C and α roundings), u = 2⁻²⁴.
 * The check allows RTOL·(|want| + scale) with scale = |α|·Σₚ|aᵢₚbₚⱼ| + |β·cᵢⱼ| and RTOL = 1e-5 ≈ 170·u:
 * for K ≤ 300 that is within the worst case above, and in practice (errors add like a random walk,
 * ~√K·u) far above it; a wrong index, a missed tile or a wrong edge guard is off by O(1).
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import type { GpuContext } from "../../kernels/webgpu/context.ts";
import { MATMUL_TILINGS, type MatmulShape, type MatmulTiling, matmul } from "../../kernels/webgpu/matmul.ts";
import { expectClose } from "./conformance-support.ts";

/** Stored sizes of A (m×k or k×m) and B (k×n or n×k) are m·k and k·n either way. */
function reference(
  s: MatmulShape,
  a: Float32Array,
  b: Float32Array,
  c0: Float32Array,
): { want: Float64Array; scale: Float64Array } {
  const { m, n, k } = s;
  const alpha = s.alpha ?? 1;
  const beta = s.beta ?? (s.accumulate === true ? 1 : 0);
  const [ao, bo, co] = [s.aOffset ?? 0, s.bOffset ?? 0, s.cOffset ?? 0];
  const want = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let magnitude = 0;
      for (let p = 0; p < k; p++) {
        const av = s.transposeA === true ? a[ao + p * m + i]! : a[ao + i * k + p]!;
        const bv = s.transposeB === true ? b[bo + j * k + p]! : b[bo + p * n + j]!;
        sum += av * bv;
        magnitude += Math.abs(av * bv);
      }
      const old = beta === 0 ? 0 : beta * c0[co + i * n + j]!;
      want[i * n + j] = alpha * sum + old;
      scale[i * n + j] = Math.abs(alpha) * magnitude + Math.abs(old);
    }
  return { want, scale };
}

/** Deterministic values in [−2, 2) from a seed (a small LCG: fast for 10⁵ entries). */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 30 - 2;
  }
  return out;
}

async function runCase(ctx: GpuContext, s: MatmulShape, seed: number, tiling?: MatmulTiling): Promise<void> {
  const [ao, bo, co] = [s.aOffset ?? 0, s.bOffset ?? 0, s.cOffset ?? 0];
  const a = values(ao + s.m * s.k, seed);
  const b = values(bo + s.k * s.n, seed + 1);
  const c0 = values(co + s.m * s.n, seed + 2);
  // NaN in C where β = 0 must not leak into the result (C is not read then).
  const beta = s.beta ?? (s.accumulate === true ? 1 : 0);
  if (beta === 0) c0.fill(Number.NaN, co);
  const [ba, bb, bc] = [ctx.storage(a.byteLength), ctx.storage(b.byteLength), ctx.storage(c0.byteLength)];
  try {
    ctx.write(ba, a);
    ctx.write(bb, b);
    ctx.write(bc, c0);
    matmul(ctx, bc, ba, bb, s, tiling);
    const got = new Float32Array(await ctx.read(bc, co * 4, s.m * s.n * 4));
    const { want, scale } = reference(s, a, b, c0);
    expectClose(`C (${JSON.stringify(s)})`, got, want, scale);
    if (co > 0) {
      const before = new Float32Array(await ctx.read(bc, 0, co * 4));
      expectClose("C before its offset", before, c0.subarray(0, co), new Float64Array(co));
    }
  } finally {
    ba.destroy();
    bb.destroy();
    bc.destroy();
  }
}

export function runMatmulConformance(context: () => Promise<GpuContext>): void {
  describe("webgpu matmul: C ← α·op(A)·op(B) + β·C against a float64 reference", () => {
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [3, 5, 7],
      [64, 64, 64],
      [65, 63, 17],
      [130, 7, 129],
      [1, 200, 3],
    ];
    for (const transposeA of [false, true])
      for (const transposeB of [false, true])
        it(`fixed shapes, A${transposeA ? "ᵀ" : ""}·B${transposeB ? "ᵀ" : ""}, plain and accumulating`, async () => {
          const ctx = await context();
          let seed = 1;
          for (const [m, n, k] of shapes) {
            await runCase(ctx, { m, n, k, transposeA, transposeB }, seed++);
            await runCase(ctx, { m, n, k, transposeA, transposeB, accumulate: true }, seed++);
          }
        });

    it("random shapes, transposes, α, β and offsets", async () => {
      const ctx = await context();
      const dim = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 150 }));
      const shape = fc.record({
        m: dim,
        n: dim,
        k: fc.integer({ min: 1, max: 300 }),
        transposeA: fc.boolean(),
        transposeB: fc.boolean(),
        alpha: fc.constantFrom(1, -0.5, 3),
        beta: fc.constantFrom(0, 1, 0.25),
        aOffset: fc.integer({ min: 0, max: 5 }),
        bOffset: fc.integer({ min: 0, max: 5 }),
        cOffset: fc.integer({ min: 0, max: 5 }),
      });
      await fc.assert(
        fc.asyncProperty(shape, fc.integer({ min: 1, max: 1e6 }), (s, seed) => runCase(ctx, s, seed)),
        { numRuns: 25 },
      );
    });

    it("every tiling gives the same answer on shapes that cut its tiles", async () => {
      const ctx = await context();
      let seed = 100;
      // One transpose combination per tiling, alternating (each variant is a pipeline to compile).
      for (const tiling of Object.values(MATMUL_TILINGS)) {
        const transposed = seed % 2 === 0;
        const s = { m: 131, n: 70, k: 37, transposeA: transposed, transposeB: !transposed, accumulate: true };
        await runCase(ctx, s, seed++, tiling);
      }
    });
  });
}
