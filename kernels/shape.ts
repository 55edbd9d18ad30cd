/**
 * The shape-only kernels: a vector is just its length (`data` undefined), so 10⁵ workers holding
 * billion-parameter models cost a few bytes each. Every operation checks its arguments exactly as the
 * CPU kernels do (same RangeError, same message) and does nothing else; dot and squaredDistance
 * resolve to NaN, `read` to undefined (a length mismatch rejects). Any Vec is accepted (only its length is looked at).
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

/** A vector without numbers. */
export class ShapeVec implements Vec {
  readonly length: number;
  readonly data: undefined = undefined;
  constructor(length: number) {
    this.length = length;
  }
}

export class ShapeKernels implements Kernels {
  readonly name = "shape";
  readonly numeric = false;

  alloc(length: number): ShapeVec {
    checkAllocLength(length);
    return new ShapeVec(length);
  }

  fromArray(values: ArrayLike<number>): ShapeVec {
    return new ShapeVec(values.length);
  }

  async read(_x: Vec): Promise<undefined> {
    return undefined;
  }

  fill(_x: Vec, _value: number): void {}

  copy(dst: Vec, src: Vec): void {
    sameLength2("copy", dst, src);
  }

  scale(_x: Vec, _a: number): void {}

  axpy(y: Vec, _a: number, x: Vec): void {
    sameLength2("axpy", y, x);
  }

  axpby(y: Vec, _a: number, x: Vec, _b: number): void {
    sameLength2("axpby", y, x);
  }

  lerp(x: Vec, y: Vec, _t: number): void {
    sameLength2("lerp", x, y);
  }

  pairAverage(x: Vec, y: Vec): void {
    sameLength2("pairAverage", x, y);
  }

  mix2(x: Vec, xt: Vec, _a: number, _b: number): void {
    sameLength2("mix2", x, xt);
  }

  a2cid2Exchange(x: Vec, xt: Vec, xj: Vec, _alpha: number, _alphaTilde: number): void {
    sameLength3("a2cid2Exchange", x, xt, xj);
  }

  a2cid2GradientStep(
    x: Vec,
    xt: Vec,
    m: Vec,
    g: Vec,
    _a: number,
    _b: number,
    _lr: number,
    _momentum: number,
    _weightDecay: number,
  ): void {
    sameLength4("a2cid2GradientStep", x, xt, m, g);
  }

  linear6(s: readonly [Vec, Vec, Vec, Vec, Vec, Vec], e: Float64Array): void {
    checkLinear6(s, e);
  }

  async dot(x: Vec, y: Vec): Promise<number> {
    sameLength2("dot", x, y);
    return Number.NaN;
  }

  async squaredDistance(x: Vec, y: Vec): Promise<number> {
    sameLength2("squaredDistance", x, y);
    return Number.NaN;
  }

  sgdMomentum(x: Vec, m: Vec, g: Vec, _lr: number, _momentum: number, _weightDecay: number): void {
    sameLength3("sgdMomentum", x, m, g);
  }

  adamw(
    x: Vec,
    m: Vec,
    v: Vec,
    g: Vec,
    t: number,
    _lr: number,
    _beta1: number,
    _beta2: number,
    _eps: number,
    _weightDecay: number,
  ): void {
    sameLength4("adamw", x, m, v, g);
    checkAdamStep(t);
  }
}
