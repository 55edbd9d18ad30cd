/**
 * The numeric operations every backend provides, behind one interface: a CPU implementation on
 * Float32Array, a shape-only one that keeps sizes and moves no numbers (for 10⁵ workers and
 * billion-parameter models), and later a WebGPU one. Schedules and problems reach numbers only through
 * this interface, so the same schedule runs on all three.
 *
 * Reading numbers back is asynchronous in every implementation (`read`, `dot`, `squaredDistance`
 * return promises): a device-resident vector can never be read synchronously, and one form per
 * operation keeps callers backend-agnostic. Host-side code that needs a CPU vector's numbers
 * synchronously (metric observers) uses `Vec.data`, which is present exactly when numbers are real.
 *
 * Conventions: every operation writes into its first argument(s) in place and allocates nothing;
 * vectors of one call have equal lengths; scalars are float64 on the host.
 */

/** A vector owned by a kernels implementation. `data` is present only where numbers are real (CPU). */
export interface Vec {
  readonly length: number;
  readonly data: Float32Array | undefined;
}

export interface Kernels {
  /** "cpu", "shape" or "webgpu": for reports and for tests that need numbers. */
  readonly name: string;
  /** True when vectors carry numbers (losses, distances and consensus can be measured). */
  readonly numeric: boolean;

  alloc(length: number): Vec;
  /** A vector holding `values` (shape-only: just its length). */
  fromArray(values: ArrayLike<number>): Vec;
  /**
   * The numbers, copied out after all work recorded so far (shape-only: undefined). A bad argument
   * rejects (TypeError or RangeError) rather than throws.
   */
  read(x: Vec): Promise<Float32Array | undefined>;

  fill(x: Vec, value: number): void;
  copy(dst: Vec, src: Vec): void;
  /** x ← a·x */
  scale(x: Vec, a: number): void;
  /** y ← y + a·x */
  axpy(y: Vec, a: number, x: Vec): void;
  /** y ← a·x + b·y */
  axpby(y: Vec, a: number, x: Vec, b: number): void;
  /** x ← x + t·(y − x) (lerp towards y) */
  lerp(x: Vec, y: Vec, t: number): void;
  /** x, y ← (x + y)/2 both */
  pairAverage(x: Vec, y: Vec): void;
  /**
   * The A²CiD² mixing between events, closed form of d(x, x̃)/dt = η(x̃ − x, x − x̃) over an interval:
   * x ← a·x + b·x̃ and x̃ ← a·x̃ + b·x (both from the old values), with a = (1+e^{−2ητ})/2, b = 1 − a.
   */
  mix2(x: Vec, xt: Vec, a: number, b: number): void;
  /**
   * A²CiD²'s side of an exchange, fused (one pass instead of three axpy): with d = x_j − x (rounded
   * to float32), x̃ ← x̃ + α̃·d, then x ← x + α·d. Element for element the same arithmetic, in the same
   * order, as axpy(x_j, −1, x); axpy(x̃, α̃, x_j); axpy(x, α, x_j), except that `xj` is only read.
   * x, x̃ and x_j must be distinct.
   */
  a2cid2Exchange(x: Vec, xt: Vec, xj: Vec, alpha: number, alphaTilde: number): void;
  /**
   * A²CiD²'s gradient update, fused (one pass instead of mix2, sgdMomentum and axpy): the mixing
   * mix2(x, x̃, a, b) — skipped when a = 1 and b = 0, so that no elapsed time leaves (x, x̃) exactly as
   * they are — then sgdMomentum(x, m, g, lr, momentum, weightDecay), then x̃ ← x̃ − lr·m with the new
   * m. Element for element the same arithmetic in the same order as those calls (every intermediate
   * rounded to float32 as it would be stored). x, x̃, m and g must be distinct.
   */
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
  ): void;
  /**
   * s ← E·s coordinate-wise for a stack of six vectors (DADAO's x, x̃, y, ỹ, z, z̃), with E a 6×6
   * matrix in row-major order (the exponential of the ODE matrix over the elapsed time).
   */
  linear6(s: readonly [Vec, Vec, Vec, Vec, Vec, Vec], e: Float64Array): void;

  /** Σ xᵢyᵢ (shape-only: NaN); a bad argument rejects (RangeError) rather than throws. */
  dot(x: Vec, y: Vec): Promise<number>;
  /** ‖x − y‖² (shape-only: NaN); a bad argument rejects rather than throws. */
  squaredDistance(x: Vec, y: Vec): Promise<number>;

  /** SGD with momentum and decoupled-from-nothing (L2) weight decay, PyTorch semantics:
   *  g' = g + wd·x; m ← μ·m + g'; x ← x − lr·m. (With μ = 0, plain SGD.) */
  sgdMomentum(x: Vec, m: Vec, g: Vec, lr: number, momentum: number, weightDecay: number): void;
  /** AdamW (decoupled weight decay), step `t` ≥ 1, PyTorch semantics. */
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
  ): void;
}
