/**
 * Keeps the conformance suite honest for the WebGPU implementation to come, before it exists: an
 * implementation that computes the way a shader does — scalars rounded to float32 when uploaded, every
 * intermediate rounded to float32, subnormals flushed to zero, reductions summed pairwise in float32 —
 * with asynchronous `read`, `dot` and `squaredDistance`, must pass the shared suite as it stands
 * (tolerance and `await`s included). Storage and argument checks are the CPU kernels'.
 */
import { CpuKernels } from "../../kernels/cpu.ts";
import type { Vec } from "../../kernels/kernels.ts";
import {
  checkAdamStep,
  checkLinear6,
  sameLength2,
  sameLength3,
  sameLength4,
} from "../../kernels/validate.ts";
import { runKernelConformance } from "./conformance.ts";
import type { KernelsUnderTest } from "./conformance-support.ts";

const MIN_NORMAL = 2 ** -126;
/** A float32 value as a GPU produces it: rounded, subnormals flushed to zero. */
const f = (v: number): number => {
  const r = Math.fround(v);
  return Math.abs(r) < MIN_NORMAL ? 0 : r;
};

function data(x: Vec): Float32Array {
  if (x.data === undefined) throw new TypeError("not a float32 vector");
  return x.data;
}

/** Pairwise float32 sum of term(i), i in [lo, hi), as a tree reduction does it. */
function pairwise(term: (i: number) => number, lo: number, hi: number): number {
  if (hi === lo) return 0;
  if (hi - lo === 1) return term(lo);
  const mid = (lo + hi) >>> 1;
  return f(pairwise(term, lo, mid) + pairwise(term, mid, hi));
}

function float32Kernels(): KernelsUnderTest {
  const cpu = new CpuKernels();
  return {
    name: "float32-emulation",
    numeric: true,
    alloc: (n) => cpu.alloc(n),
    fromArray: (values) => cpu.fromArray(values),
    read: async (x) => cpu.read(x),
    fill: (x, value) => cpu.fill(x, value),
    copy: (dst, src) => cpu.copy(dst, src),
    scale(x, a) {
      const [xd, fa] = [data(x), f(a)];
      for (let i = 0; i < xd.length; i++) xd[i] = f(fa * f(xd[i]!));
    },
    axpy(y, a, x) {
      sameLength2("axpy", y, x);
      const [yd, xd, fa] = [data(y), data(x), f(a)];
      for (let i = 0; i < yd.length; i++) yd[i] = f(f(yd[i]!) + f(fa * f(xd[i]!)));
    },
    axpby(y, a, x, b) {
      sameLength2("axpby", y, x);
      const [yd, xd, fa, fb] = [data(y), data(x), f(a), f(b)];
      for (let i = 0; i < yd.length; i++) yd[i] = f(f(fa * f(xd[i]!)) + f(fb * f(yd[i]!)));
    },
    lerp(x, y, t) {
      sameLength2("lerp", x, y);
      const [xd, yd, ft] = [data(x), data(y), f(t)];
      for (let i = 0; i < xd.length; i++) xd[i] = f(f(xd[i]!) + f(ft * f(f(yd[i]!) - f(xd[i]!))));
    },
    pairAverage(x, y) {
      sameLength2("pairAverage", x, y);
      const [xd, yd] = [data(x), data(y)];
      for (let i = 0; i < xd.length; i++) {
        const mean = f(f(f(xd[i]!) + f(yd[i]!)) * 0.5);
        xd[i] = mean;
        yd[i] = mean;
      }
    },
    mix2(x, xt, a, b) {
      sameLength2("mix2", x, xt);
      const [xd, td, fa, fb] = [data(x), data(xt), f(a), f(b)];
      for (let i = 0; i < xd.length; i++) {
        const [xi, ti] = [f(xd[i]!), f(td[i]!)];
        xd[i] = f(f(fa * xi) + f(fb * ti));
        td[i] = f(f(fa * ti) + f(fb * xi));
      }
    },
    a2cid2Exchange(x, xt, xj, alpha, alphaTilde) {
      sameLength3("a2cid2Exchange", x, xt, xj);
      const [xd, td, jd, fa, fat] = [data(x), data(xt), data(xj), f(alpha), f(alphaTilde)];
      for (let i = 0; i < xd.length; i++) {
        const xi = f(xd[i]!);
        const d = f(f(jd[i]!) - xi);
        td[i] = f(f(td[i]!) + f(fat * d));
        xd[i] = f(xi + f(fa * d));
      }
    },
    a2cid2GradientStep(x, xt, m, g, a, b, lr, momentum, weightDecay) {
      sameLength4("a2cid2GradientStep", x, xt, m, g);
      const [xd, td, md, gd] = [data(x), data(xt), data(m), data(g)];
      const [fa, fb, flr, fmu, fwd] = [f(a), f(b), f(lr), f(momentum), f(weightDecay)];
      for (let i = 0; i < xd.length; i++) {
        let [xi, ti] = [f(xd[i]!), f(td[i]!)];
        if (fa !== 1 || fb !== 0) [xi, ti] = [f(f(fa * xi) + f(fb * ti)), f(f(fa * ti) + f(fb * xi))];
        const gp = f(f(gd[i]!) + f(fwd * xi));
        const mi = f(f(fmu * f(md[i]!)) + gp);
        md[i] = mi;
        xd[i] = f(xi - f(flr * mi));
        td[i] = f(ti - f(flr * mi));
      }
    },
    linear6(s, e) {
      checkLinear6(s, e);
      const d = s.map(data);
      const fe = Array.from(e, f);
      const v = new Float64Array(6);
      for (let i = 0; i < d[0]!.length; i++) {
        for (let c = 0; c < 6; c++) v[c] = f(d[c]![i]!);
        for (let r = 0; r < 6; r++) {
          let sum = 0;
          for (let c = 0; c < 6; c++) sum = f(sum + f(fe[6 * r + c]! * v[c]!));
          d[r]![i] = sum;
        }
      }
    },
    dot: async (x, y) => {
      sameLength2("dot", x, y);
      const [xd, yd] = [data(x), data(y)];
      return pairwise((i) => f(f(xd[i]!) * f(yd[i]!)), 0, xd.length);
    },
    squaredDistance: async (x, y) => {
      sameLength2("squaredDistance", x, y);
      const [xd, yd] = [data(x), data(y)];
      const term = (i: number) => {
        const diff = f(f(xd[i]!) - f(yd[i]!));
        return f(diff * diff);
      };
      return pairwise(term, 0, xd.length);
    },
    sgdMomentum(x, m, g, lr, momentum, weightDecay) {
      sameLength3("sgdMomentum", x, m, g);
      const [xd, md, gd] = [data(x), data(m), data(g)];
      const [flr, fmu, fwd] = [f(lr), f(momentum), f(weightDecay)];
      for (let i = 0; i < xd.length; i++) {
        const xi = f(xd[i]!);
        const gp = f(f(gd[i]!) + f(fwd * xi));
        const mi = f(f(fmu * f(md[i]!)) + gp);
        md[i] = mi;
        xd[i] = f(xi - f(flr * mi));
      }
    },
    adamw(x, m, v, g, t, lr, beta1, beta2, eps, weightDecay) {
      sameLength4("adamw", x, m, v, g);
      checkAdamStep(t);
      const [xd, md, vd, gd] = [data(x), data(m), data(v), data(g)];
      // Host-side scalars in float64, uploaded as float32.
      const decay = f(1 - lr * weightDecay);
      const [b1, c1, b2, c2, fe] = [f(beta1), f(1 - beta1), f(beta2), f(1 - beta2), f(eps)];
      const stepSize = f(lr / (1 - beta1 ** t));
      const invSqrtBc2 = f(1 / Math.sqrt(1 - beta2 ** t));
      for (let i = 0; i < xd.length; i++) {
        const gi = f(gd[i]!);
        const mi = f(f(b1 * f(md[i]!)) + f(c1 * gi));
        const vi = f(f(b2 * f(vd[i]!)) + f(f(c2 * gi) * gi));
        md[i] = mi;
        vd[i] = vi;
        const denom = f(f(f(Math.sqrt(vi)) * invSqrtBc2) + fe);
        xd[i] = f(f(f(xd[i]!) * decay) - f(f(stepSize * mi) / denom));
      }
    },
  };
}

runKernelConformance("float32-emulation", float32Kernels);
