import type { Kernels, Vec } from "../kernels/kernels.ts";

/**
 * CPU kernels that also count the bytes each call moves (every float32 read and written once), so a
 * benchmark can turn a whole numeric run into an effective memory throughput.
 */
export class CountingKernels implements Kernels {
  readonly name: string;
  readonly numeric: boolean;
  bytes = 0;
  private readonly inner: Kernels;

  constructor(inner: Kernels) {
    this.inner = inner;
    this.name = `counting(${inner.name})`;
    this.numeric = inner.numeric;
  }

  alloc(length: number): Vec {
    return this.inner.alloc(length);
  }
  fromArray(values: ArrayLike<number>): Vec {
    return this.inner.fromArray(values);
  }
  read(x: Vec): Promise<Float32Array | undefined> {
    return this.inner.read(x);
  }
  fill(x: Vec, value: number): void {
    this.bytes += 4 * x.length;
    this.inner.fill(x, value);
  }
  copy(dst: Vec, src: Vec): void {
    this.bytes += 8 * dst.length;
    this.inner.copy(dst, src);
  }
  scale(x: Vec, a: number): void {
    this.bytes += 8 * x.length;
    this.inner.scale(x, a);
  }
  axpy(y: Vec, a: number, x: Vec): void {
    this.bytes += 12 * y.length;
    this.inner.axpy(y, a, x);
  }
  axpby(y: Vec, a: number, x: Vec, b: number): void {
    this.bytes += 12 * y.length;
    this.inner.axpby(y, a, x, b);
  }
  lerp(x: Vec, y: Vec, t: number): void {
    this.bytes += 12 * x.length;
    this.inner.lerp(x, y, t);
  }
  pairAverage(x: Vec, y: Vec): void {
    this.bytes += 16 * x.length;
    this.inner.pairAverage(x, y);
  }
  mix2(x: Vec, xt: Vec, a: number, b: number): void {
    this.bytes += 16 * x.length;
    this.inner.mix2(x, xt, a, b);
  }
  a2cid2Exchange(x: Vec, xt: Vec, xj: Vec, alpha: number, alphaTilde: number): void {
    // Reads x, x̃, x_j; writes x, x̃.
    this.bytes += 20 * x.length;
    this.inner.a2cid2Exchange(x, xt, xj, alpha, alphaTilde);
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
    // Reads x, x̃, m, g; writes x, x̃, m.
    this.bytes += 28 * x.length;
    this.inner.a2cid2GradientStep(x, xt, m, g, a, b, lr, momentum, weightDecay);
  }
  linear6(s: readonly [Vec, Vec, Vec, Vec, Vec, Vec], e: Float64Array): void {
    this.bytes += 48 * s[0].length;
    this.inner.linear6(s, e);
  }
  dot(x: Vec, y: Vec): Promise<number> {
    this.bytes += 8 * x.length;
    return this.inner.dot(x, y);
  }
  squaredDistance(x: Vec, y: Vec): Promise<number> {
    this.bytes += 8 * x.length;
    return this.inner.squaredDistance(x, y);
  }
  sgdMomentum(x: Vec, m: Vec, g: Vec, lr: number, momentum: number, weightDecay: number): void {
    this.bytes += 20 * x.length;
    this.inner.sgdMomentum(x, m, g, lr, momentum, weightDecay);
  }
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
    this.bytes += 28 * x.length;
    this.inner.adamw(x, m, v, g, t, lr, beta1, beta2, eps, weightDecay);
  }
}
