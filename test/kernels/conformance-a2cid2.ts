import fc from "fast-check";
import type { Property } from "./conformance-reductions.ts";
import {
  expectClose,
  expectSame,
  f32,
  readBack,
  scalar,
  sgdParameters,
  vecs3,
  vecs4,
} from "./conformance-support.ts";

/** The fused A²CiD² kernels against a float64 reference (see conformance.ts for the tolerances). */
export function fusedA2cid2Properties(property: Property): void {
  property(
    "a2cid2Exchange: d = x_j − x; x̃ ← x̃ + α̃·d; x ← x + α·d; x_j unchanged",
    fc.tuple(vecs3, scalar, scalar),
    async (k, [[xs, ts, js], alpha, alphaTilde]) => {
      const [x, xt, xj] = [k.fromArray(xs), k.fromArray(ts), k.fromArray(js)];
      k.a2cid2Exchange(x, xt, xj, alpha, alphaTilde);
      const [x0, t0, j0] = [f32(xs), f32(ts), f32(js)];
      const d = x0.map((v, i) => j0[i]! - v);
      const dScale = x0.map((v, i) => Math.abs(j0[i]!) + Math.abs(v));
      expectClose(
        "x̃",
        await readBack(k, xt),
        t0.map((v, i) => v + alphaTilde * d[i]!),
        t0.map((v, i) => Math.abs(v) + Math.abs(alphaTilde) * dScale[i]!),
      );
      expectClose(
        "x",
        await readBack(k, x),
        x0.map((v, i) => v + alpha * d[i]!),
        x0.map((v, i) => Math.abs(v) + Math.abs(alpha) * dScale[i]!),
      );
      expectSame("x_j", await readBack(k, xj), j0);
    },
  );

  property(
    "a2cid2GradientStep: mix2 (skipped for a = 1, b = 0), then sgdMomentum, then x̃ ← x̃ − lr·m",
    fc.tuple(vecs4, fc.oneof(fc.constant([1, 0] as const), fc.tuple(scalar, scalar)), sgdParameters),
    async (k, [[xs, ts, ms, gs], [a, b], { lr, momentum, weightDecay }]) => {
      const [x, xt, m] = [k.fromArray(xs), k.fromArray(ts), k.fromArray(ms)];
      k.a2cid2GradientStep(x, xt, m, k.fromArray(gs), a, b, lr, momentum, weightDecay);
      const [x0, t0, m0, g0] = [f32(xs), f32(ts), f32(ms), f32(gs)];
      const mixing = !(a === 1 && b === 0);
      const mx = mixing ? x0.map((v, i) => a * v + b * t0[i]!) : x0;
      const mt = mixing ? t0.map((v, i) => a * v + b * x0[i]!) : t0;
      const sx = x0.map((v, i) => (mixing ? Math.abs(a * v) + Math.abs(b * t0[i]!) : Math.abs(v)));
      const st = t0.map((v, i) => (mixing ? Math.abs(a * v) + Math.abs(b * x0[i]!) : Math.abs(v)));
      const rm = m0.map((v, i) => momentum * v + (g0[i]! + weightDecay * mx[i]!));
      const sm = m0.map((v, i) => momentum * Math.abs(v) + Math.abs(g0[i]!) + weightDecay * sx[i]!);
      expectClose("m", await readBack(k, m), rm, sm);
      const step = (v: number, i: number) => v - lr * rm[i]!;
      const stepScale = (s: number, i: number) => s + lr * sm[i]!;
      expectClose("x", await readBack(k, x), mx.map(step), sx.map(stepScale));
      expectClose("x̃", await readBack(k, xt), mt.map(step), st.map(stepScale));
    },
  );
}
