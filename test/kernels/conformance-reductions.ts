import fc from "fast-check";
import { expect } from "vitest";
import {
  adamParameters,
  dotOf,
  expectClose,
  expectCloseScalar,
  expectSame,
  F32_MIN_NORMAL,
  f32,
  type KernelsUnderTest,
  readBack,
  sgdParameters,
  squaredDistanceOf,
  trajectory,
  vecs2,
} from "./conformance-support.ts";

/** One property over `arb`, the implementation under test made once for it (conformance.ts's). */
export type Property = <T>(
  title: string,
  arb: fc.Arbitrary<T>,
  body: (k: KernelsUnderTest, input: T) => Promise<void>,
) => void;

/** The numeric conformance of the reductions and the optimizers, inside conformance.ts's describe. */
export function reductionAndOptimizerProperties(property: Property): void {
  // --- reductions ----------------------------------------------------------------------------------

  property("dot: Σ xᵢyᵢ, symmetric, inputs unchanged", vecs2, async (k, [xs, ys]) => {
    const x = k.fromArray(xs);
    const y = k.fromArray(ys);
    const [x0, y0] = [f32(xs), f32(ys)];
    let want = 0;
    let scale = 0;
    for (let i = 0; i < x0.length; i++) {
      want += x0[i]! * y0[i]!;
      scale += Math.abs(x0[i]! * y0[i]!);
    }
    expectCloseScalar("dot(x, y)", await dotOf(k, x, y), want, scale);
    expectCloseScalar("dot(y, x)", await dotOf(k, y, x), want, scale);
    expectSame("x", await readBack(k, x), x0);
    expectSame("y", await readBack(k, y), y0);
  });

  property("squaredDistance: ‖x − y‖², zero from x to itself, ‖x − 0‖² = x·x", vecs2, async (k, [xs, ys]) => {
    const x = k.fromArray(xs);
    const y = k.fromArray(ys);
    const [x0, y0] = [f32(xs), f32(ys)];
    let want = 0;
    let norm2 = 0;
    for (let i = 0; i < x0.length; i++) {
      want += (x0[i]! - y0[i]!) ** 2;
      norm2 += x0[i]! ** 2;
    }
    expectCloseScalar("squaredDistance(x, y)", await squaredDistanceOf(k, x, y), want, want);
    expectCloseScalar("squaredDistance(y, x)", await squaredDistanceOf(k, y, x), want, want);
    expect(await squaredDistanceOf(k, x, x)).toBe(0);
    const zero = k.alloc(xs.length);
    expectCloseScalar("‖x − 0‖²", await squaredDistanceOf(k, x, zero), norm2, norm2);
    expectCloseScalar("x·x", await dotOf(k, x, x), norm2, norm2);
    expectSame("x", await readBack(k, x), x0);
    expectSame("y", await readBack(k, y), y0);
  });

  // --- optimizers ----------------------------------------------------------------------------------

  property(
    "sgdMomentum: several steps match torch.optim.SGD (momentum buffer carried over)",
    fc.tuple(trajectory, sgdParameters),
    async (k, [[xs, grads], { lr, momentum, weightDecay }]) => {
      const n = xs.length;
      const x = k.fromArray(xs);
      const m = k.alloc(n);
      // Reference state and, per coordinate, the running magnitude of what went into it.
      const rx = f32(xs);
      const rm = new Float64Array(n);
      const sx = rx.map(Math.abs);
      const sm = new Float64Array(n);
      for (let step = 0; step < grads.length; step++) {
        const gs = grads[step]!;
        k.sgdMomentum(x, m, k.fromArray(gs), lr, momentum, weightDecay);
        for (let i = 0; i < n; i++) {
          const g = Math.fround(gs[i]!);
          rm[i] = momentum * rm[i]! + (g + weightDecay * rx[i]!);
          sm[i] = momentum * sm[i]! + Math.abs(g) + weightDecay * sx[i]!;
          rx[i] = rx[i]! - lr * rm[i]!;
          sx[i] = sx[i]! + lr * sm[i]!;
        }
        expectClose(`m after step ${step + 1}`, await readBack(k, m), rm, sm);
        expectClose(`x after step ${step + 1}`, await readBack(k, x), rx, sx);
      }
    },
  );

  property(
    "sgdMomentum: the first step from a zero buffer sets it to g + wd·x (torch's buf = g'); μ = wd = 0 is x − lr·g",
    fc.tuple(vecs2, sgdParameters),
    async (k, [[xs, gs], { lr, momentum, weightDecay }]) => {
      const [x0, g0] = [f32(xs), f32(gs)];
      const x = k.fromArray(xs);
      const m = k.alloc(xs.length);
      k.sgdMomentum(x, m, k.fromArray(gs), lr, momentum, weightDecay);
      expectClose(
        "m",
        await readBack(k, m),
        g0.map((g, i) => g + weightDecay * x0[i]!),
        g0.map((g, i) => Math.abs(g) + weightDecay * Math.abs(x0[i]!)),
      );
      const plain = k.fromArray(xs);
      k.sgdMomentum(plain, k.alloc(xs.length), k.fromArray(gs), lr, 0, 0);
      expectClose(
        "plain SGD",
        await readBack(k, plain),
        x0.map((v, i) => v - lr * g0[i]!),
        x0.map((v, i) => Math.abs(v) + lr * Math.abs(g0[i]!)),
      );
    },
  );

  property(
    "adamw: several steps t = 1, 2, … match torch.optim.AdamW (moments carried over)",
    fc.tuple(trajectory, adamParameters),
    async (k, [[xs, grads], { lr, beta1, beta2, eps, weightDecay }]) => {
      const n = xs.length;
      const x = k.fromArray(xs);
      const m = k.alloc(n);
      const v = k.alloc(n);
      const rx = f32(xs);
      const rm = new Float64Array(n);
      const rv = new Float64Array(n);
      const sx = rx.map(Math.abs);
      const sm = new Float64Array(n);
      const flushed = new Float64Array(n);
      for (let step = 0; step < grads.length; step++) {
        const t = step + 1;
        const gs = grads[step]!;
        k.adamw(x, m, v, k.fromArray(gs), t, lr, beta1, beta2, eps, weightDecay);
        const decay = 1 - lr * weightDecay;
        const stepSize = lr / (1 - beta1 ** t);
        const sqrtBc2 = Math.sqrt(1 - beta2 ** t);
        for (let i = 0; i < n; i++) {
          const g = Math.fround(gs[i]!);
          rm[i] = beta1 * rm[i]! + (1 - beta1) * g;
          sm[i] = beta1 * sm[i]! + (1 - beta1) * Math.abs(g);
          rv[i] = beta2 * rv[i]! + (1 - beta2) * g * g;
          const denom = Math.sqrt(rv[i]!) / sqrtBc2 + eps;
          rx[i] = rx[i]! * decay - (stepSize * rm[i]!) / denom;
          // m's uncertainty, divided as the update divides it.
          sx[i] = sx[i]! * Math.abs(decay) + (stepSize * sm[i]!) / denom;
          // What a flush to zero of a tiny m or of a tiny lr·m may lose, magnified by the division.
          flushed[i] = flushed[i]! * Math.abs(decay) + ((1 + stepSize) * F32_MIN_NORMAL) / denom;
        }
        expectClose(`m after step ${t}`, await readBack(k, m), rm, sm);
        expectClose(`v after step ${t}`, await readBack(k, v), rv, rv);
        expectClose(`x after step ${t}`, await readBack(k, x), rx, sx, flushed);
      }
    },
  );

  property(
    "adamw: the first step without weight decay moves x by lr·g/(|g| + ε), about lr·sign(g)",
    fc.tuple(vecs2, adamParameters),
    async (k, [[xs, gs], { lr, beta1, beta2, eps }]) => {
      const n = xs.length;
      const [x0, g0] = [f32(xs), f32(gs)];
      const x = k.fromArray(xs);
      k.adamw(x, k.alloc(n), k.alloc(n), k.fromArray(gs), 1, lr, beta1, beta2, eps, 0);
      expectClose(
        "x",
        await readBack(k, x),
        x0.map((v, i) => v - (lr * g0[i]!) / (Math.abs(g0[i]!) + eps)),
        x0.map((v) => Math.abs(v) + lr),
      );
    },
  );
}
