/**
 * The CPU kernels: vectors are Float32Array, every operation is one plain indexed loop over the
 * typed arrays with the arrays, their length and the scalars hoisted into locals (no closures, no
 * iterators, no allocation per call). Arithmetic runs in float64 (JavaScript numbers) and is rounded
 * to float32 once, on the store; dot and squaredDistance accumulate in float64 and resolve to it.
 *
 * Aliasing: an operation may be given the same vector twice where the result stays well defined
 * (`axpy(x, a, x)`, `pairAverage(x, x)`, `mix2(x, x, …)` read each coordinate before writing it);
 * linear6's six vectors, the optimizers' x, m, v, g and the fused A²CiD² kernels' vectors must be
 * distinct.
 */
import type { Kernels, Vec } from "./kernels.ts";
import {
  checkAdamStep,
  checkAllocLength,
  checkLinear6,
  sameLength2,
  sameLength3,
  sameLength4,
} from "./validate.ts";

/** A CPU vector: its numbers in a Float32Array of exactly `length` entries. */
export class CpuVec implements Vec {
  readonly length: number;
  readonly data: Float32Array;
  constructor(data: Float32Array) {
    this.data = data;
    this.length = data.length;
  }
}

/** The numbers of `x`, which must be a vector with real numbers (CPU): a TypeError otherwise. */
function dataOf(op: string, x: Vec): Float32Array {
  const d = x.data;
  if (d === undefined || d.length !== x.length)
    throw new TypeError(`${op}: not a CPU vector (no Float32Array of its length)`);
  return d;
}

export class CpuKernels implements Kernels {
  readonly name = "cpu";
  readonly numeric = true;

  alloc(length: number): CpuVec {
    checkAllocLength(length);
    return new CpuVec(new Float32Array(length));
  }

  fromArray(values: ArrayLike<number>): CpuVec {
    const n = values.length;
    const d = new Float32Array(n);
    for (let i = 0; i < n; i++) d[i] = values[i]!;
    return new CpuVec(d);
  }

  // Asynchronous like every implementation's (one form per operation, see Kernels): `async` turns
  // a bad argument's throw into a rejection.
  async read(x: Vec): Promise<Float32Array> {
    return dataOf("read", x).slice();
  }

  fill(x: Vec, value: number): void {
    dataOf("fill", x).fill(value);
  }

  copy(dst: Vec, src: Vec): void {
    const dd = dataOf("copy", dst);
    const sd = dataOf("copy", src);
    sameLength2("copy", dst, src);
    dd.set(sd);
  }

  scale(x: Vec, a: number): void {
    const xd = dataOf("scale", x);
    const n = xd.length;
    for (let i = 0; i < n; i++) xd[i] = a * xd[i]!;
  }

  axpy(y: Vec, a: number, x: Vec): void {
    const yd = dataOf("axpy", y);
    const xd = dataOf("axpy", x);
    sameLength2("axpy", y, x);
    const n = yd.length;
    for (let i = 0; i < n; i++) yd[i] = yd[i]! + a * xd[i]!;
  }

  axpby(y: Vec, a: number, x: Vec, b: number): void {
    const yd = dataOf("axpby", y);
    const xd = dataOf("axpby", x);
    sameLength2("axpby", y, x);
    const n = yd.length;
    for (let i = 0; i < n; i++) yd[i] = a * xd[i]! + b * yd[i]!;
  }

  lerp(x: Vec, y: Vec, t: number): void {
    const xd = dataOf("lerp", x);
    const yd = dataOf("lerp", y);
    sameLength2("lerp", x, y);
    const n = xd.length;
    for (let i = 0; i < n; i++) {
      const xi = xd[i]!;
      xd[i] = xi + t * (yd[i]! - xi);
    }
  }

  pairAverage(x: Vec, y: Vec): void {
    const xd = dataOf("pairAverage", x);
    const yd = dataOf("pairAverage", y);
    sameLength2("pairAverage", x, y);
    const n = xd.length;
    for (let i = 0; i < n; i++) {
      // The float64 sum of two float32 values is exact, so both sides get the same rounded mean.
      const mean = 0.5 * (xd[i]! + yd[i]!);
      xd[i] = mean;
      yd[i] = mean;
    }
  }

  mix2(x: Vec, xt: Vec, a: number, b: number): void {
    const xd = dataOf("mix2", x);
    const td = dataOf("mix2", xt);
    sameLength2("mix2", x, xt);
    const n = xd.length;
    for (let i = 0; i < n; i++) {
      const xi = xd[i]!;
      const ti = td[i]!;
      xd[i] = a * xi + b * ti;
      td[i] = a * ti + b * xi;
    }
  }

  a2cid2Exchange(x: Vec, xt: Vec, xj: Vec, alpha: number, alphaTilde: number): void {
    const xd = dataOf("a2cid2Exchange", x);
    const td = dataOf("a2cid2Exchange", xt);
    const jd = dataOf("a2cid2Exchange", xj);
    sameLength3("a2cid2Exchange", x, xt, xj);
    const n = xd.length;
    for (let i = 0; i < n; i++) {
      const xi = xd[i]!;
      // The difference is stored (rounded) by the unfused axpy before it is used: round it here too.
      const d = Math.fround(jd[i]! + -1 * xi);
      td[i] = td[i]! + alphaTilde * d;
      xd[i] = xi + alpha * d;
    }
  }

  a2cid2GradientStep(
    x: Vec,
    xt: Vec,
    m: Vec,
    g: Vec,
    a: number,
    b: number,
    lr: number,
    momentum: number,
    weightDecay: number,
  ): void {
    const xd = dataOf("a2cid2GradientStep", x);
    const td = dataOf("a2cid2GradientStep", xt);
    const md = dataOf("a2cid2GradientStep", m);
    const gd = dataOf("a2cid2GradientStep", g);
    sameLength4("a2cid2GradientStep", x, xt, m, g);
    const negLr = -lr;
    const n = xd.length;
    // Two loops rather than a branch per coordinate: the branch in the loop made it slower than the
    // unfused sgdMomentum + axpy it replaces (measured on the a2cid2 bench, where a = 1, b = 0).
    if (a === 1 && b === 0) {
      for (let i = 0; i < n; i++) {
        const xi = xd[i]!;
        const mi = Math.fround(momentum * md[i]! + (gd[i]! + weightDecay * xi));
        md[i] = mi;
        xd[i] = xi - lr * mi;
        td[i] = td[i]! + negLr * mi;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const x0 = xd[i]!;
      const t0 = td[i]!;
      // mix2's stores, rounded as they would be.
      const xi = Math.fround(a * x0 + b * t0);
      const ti = Math.fround(a * t0 + b * x0);
      const mi = Math.fround(momentum * md[i]! + (gd[i]! + weightDecay * xi));
      md[i] = mi;
      xd[i] = xi - lr * mi;
      td[i] = ti + negLr * mi;
    }
  }

  linear6(s: readonly [Vec, Vec, Vec, Vec, Vec, Vec], e: Float64Array): void {
    const d0 = dataOf("linear6", s[0]);
    const d1 = dataOf("linear6", s[1]);
    const d2 = dataOf("linear6", s[2]);
    const d3 = dataOf("linear6", s[3]);
    const d4 = dataOf("linear6", s[4]);
    const d5 = dataOf("linear6", s[5]);
    checkLinear6(s, e);
    const e00 = e[0]!,
      e01 = e[1]!,
      e02 = e[2]!,
      e03 = e[3]!,
      e04 = e[4]!,
      e05 = e[5]!;
    const e10 = e[6]!,
      e11 = e[7]!,
      e12 = e[8]!,
      e13 = e[9]!,
      e14 = e[10]!,
      e15 = e[11]!;
    const e20 = e[12]!,
      e21 = e[13]!,
      e22 = e[14]!,
      e23 = e[15]!,
      e24 = e[16]!,
      e25 = e[17]!;
    const e30 = e[18]!,
      e31 = e[19]!,
      e32 = e[20]!,
      e33 = e[21]!,
      e34 = e[22]!,
      e35 = e[23]!;
    const e40 = e[24]!,
      e41 = e[25]!,
      e42 = e[26]!,
      e43 = e[27]!,
      e44 = e[28]!,
      e45 = e[29]!;
    const e50 = e[30]!,
      e51 = e[31]!,
      e52 = e[32]!,
      e53 = e[33]!,
      e54 = e[34]!,
      e55 = e[35]!;
    const n = d0.length;
    for (let i = 0; i < n; i++) {
      const v0 = d0[i]!;
      const v1 = d1[i]!;
      const v2 = d2[i]!;
      const v3 = d3[i]!;
      const v4 = d4[i]!;
      const v5 = d5[i]!;
      d0[i] = e00 * v0 + e01 * v1 + e02 * v2 + e03 * v3 + e04 * v4 + e05 * v5;
      d1[i] = e10 * v0 + e11 * v1 + e12 * v2 + e13 * v3 + e14 * v4 + e15 * v5;
      d2[i] = e20 * v0 + e21 * v1 + e22 * v2 + e23 * v3 + e24 * v4 + e25 * v5;
      d3[i] = e30 * v0 + e31 * v1 + e32 * v2 + e33 * v3 + e34 * v4 + e35 * v5;
      d4[i] = e40 * v0 + e41 * v1 + e42 * v2 + e43 * v3 + e44 * v4 + e45 * v5;
      d5[i] = e50 * v0 + e51 * v1 + e52 * v2 + e53 * v3 + e54 * v4 + e55 * v5;
    }
  }

  async dot(x: Vec, y: Vec): Promise<number> {
    const xd = dataOf("dot", x);
    const yd = dataOf("dot", y);
    sameLength2("dot", x, y);
    const n = xd.length;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += xd[i]! * yd[i]!;
    return sum;
  }

  async squaredDistance(x: Vec, y: Vec): Promise<number> {
    const xd = dataOf("squaredDistance", x);
    const yd = dataOf("squaredDistance", y);
    sameLength2("squaredDistance", x, y);
    const n = xd.length;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const diff = xd[i]! - yd[i]!;
      sum += diff * diff;
    }
    return sum;
  }

  /**
   * torch.optim.SGD(momentum=μ, dampening=0, nesterov=False, weight_decay=wd), one step:
   * g' = g + wd·x; buf ← μ·buf + g'; x ← x − lr·buf. Torch sets buf = g' on the first step instead;
   * here m starts at zero (alloc/fill 0), so the first step gives μ·0 + g' = g': the same. The update of
   * x uses the buffer as stored (rounded to float32), as torch does.
   */
  sgdMomentum(x: Vec, m: Vec, g: Vec, lr: number, momentum: number, weightDecay: number): void {
    const xd = dataOf("sgdMomentum", x);
    const md = dataOf("sgdMomentum", m);
    const gd = dataOf("sgdMomentum", g);
    sameLength3("sgdMomentum", x, m, g);
    const n = xd.length;
    for (let i = 0; i < n; i++) {
      const xi = xd[i]!;
      const mi = Math.fround(momentum * md[i]! + (gd[i]! + weightDecay * xi));
      md[i] = mi;
      xd[i] = xi - lr * mi;
    }
  }

  /**
   * torch.optim.AdamW (amsgrad=False, maximize=False), one step with step count t:
   * x ← x·(1 − lr·wd); m ← β₁·m + (1 − β₁)·g; v ← β₂·v + (1 − β₂)·g²;
   * x ← x − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
   * (Torch writes the m update as m.lerp_(g, 1 − β₁), equal in exact arithmetic.) m and v start at zero;
   * the update of x uses m and v as stored (rounded to float32), as torch does.
   */
  adamw(
    x: Vec,
    m: Vec,
    v: Vec,
    g: Vec,
    t: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
  ): void {
    const xd = dataOf("adamw", x);
    const md = dataOf("adamw", m);
    const vd = dataOf("adamw", v);
    const gd = dataOf("adamw", g);
    sameLength4("adamw", x, m, v, g);
    checkAdamStep(t);
    const decay = 1 - lr * weightDecay;
    const c1 = 1 - beta1;
    const c2 = 1 - beta2;
    const stepSize = lr / (1 - beta1 ** t);
    const invSqrtBc2 = 1 / Math.sqrt(1 - beta2 ** t);
    const n = xd.length;
    for (let i = 0; i < n; i++) {
      const gi = gd[i]!;
      const mi = Math.fround(beta1 * md[i]! + c1 * gi);
      const vi = Math.fround(beta2 * vd[i]! + c2 * gi * gi);
      md[i] = mi;
      vd[i] = vi;
      xd[i] = xd[i]! * decay - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  }
}
