/** What the kernels contract and conformance suites share: types, arbitraries, references, checks. */
import fc from "fast-check";
import type { Kernels, Vec } from "../../kernels/kernels.ts";

export type MaybePromise<T> = T | Promise<T>;

/** What the suite tests: any `Kernels` (its read-backs are asynchronous, as on a device). */
export type KernelsUnderTest = Kernels;

/** The read-backs, named as the suite has always called them. */
export const readOf = (k: KernelsUnderTest, x: Vec): Promise<Float32Array | undefined> => k.read(x);
export const dotOf = (k: KernelsUnderTest, x: Vec, y: Vec): Promise<number> => k.dot(x, y);
export const squaredDistanceOf = (k: KernelsUnderTest, x: Vec, y: Vec): Promise<number> =>
  k.squaredDistance(x, y);

export type KernelsFactory = () => MaybePromise<KernelsUnderTest>;

export interface ConformanceOptions {
  /** fast-check runs per property (default 100). */
  readonly numRuns?: number;
}

export const RTOL = 1e-5;
export const ATOL = 1e-30;
/** The smallest normal float32: what a flush-to-zero may lose on any stored value. */
export const F32_MIN_NORMAL = 2 ** -126;

// ---------------------------------------------------------------------------------------------------
// Generators

/** Coordinates: exact small constants, ordinary magnitudes, and the whole float32 range up to 1e4
 *  (fast-check spreads exponents evenly, so tiny and subnormal values come up often). */
export const coordinate: fc.Arbitrary<number> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1, 0.5) },
  { weight: 5, arbitrary: fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((i) => i / 1024) },
  { weight: 3, arbitrary: fc.float({ min: -1e4, max: 1e4, noNaN: true }) },
);

/**
 * Lengths 0..300, with the short ones that exercise vector-of-four tails always in the mix, and now
 * and then a long one: 1000, or 65537 (more than one workgroup of 256 invocations × 4 coordinates per
 * invocation, with a one-coordinate tail; more than one partial sum in a tree reduction).
 */
export const length: fc.Arbitrary<number> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 299, 300) },
  { weight: 10, arbitrary: fc.integer({ min: 0, max: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom(1000, 65537) },
);

/** Above this length coordinates come from a seeded generator: fast-check would spend seconds
 *  drawing (and shrinking) 65537 values one by one. */
export const DRAWN_ONE_BY_ONE = 300;

/** `n` coordinates like `coordinate`'s (exact small constants, dyadic values, float32 of every
 *  magnitude up to 1e4), from a seed. */
export function seededCoordinates(n: number, seed: number): number[] {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const constants = [0, -0, 1, -1, 0.5];
  return Array.from({ length: n }, () => {
    const kind = next() * 9;
    if (kind < 1) return constants[Math.floor(next() * constants.length)]!;
    if (kind < 6) return Math.round((next() * 2 - 1) * 2 ** 20) / 1024;
    const sign = next() < 0.5 ? -1 : 1;
    return Math.fround(sign * 1e4 * 2 ** (-next() * 140)); // down to subnormal float32
  });
}

export const vec = (n: number): fc.Arbitrary<number[]> =>
  n <= DRAWN_ONE_BY_ONE
    ? fc.array(coordinate, { minLength: n, maxLength: n })
    : fc.integer().map((seed) => seededCoordinates(n, seed));
export const vecs1 = length.chain((n) => vec(n));
export const vecs2 = length.chain((n) => fc.tuple(vec(n), vec(n)));
export const vecs3 = length.chain((n) => fc.tuple(vec(n), vec(n), vec(n)));
export const vecs4 = length.chain((n) => fc.tuple(vec(n), vec(n), vec(n), vec(n)));
export const vecs6 = length.chain((n) => fc.tuple(vec(n), vec(n), vec(n), vec(n), vec(n), vec(n)));
/** An initial x and `steps` gradients of its length, 1 ≤ steps ≤ 6. */
export const trajectory = fc
  .tuple(length, fc.integer({ min: 1, max: 6 }))
  .chain(([n, steps]) => fc.tuple(vec(n), fc.array(vec(n), { minLength: steps, maxLength: steps })));

export const scalar: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, -1, 0.5, 2, -0.25),
  fc.integer({ min: -4096, max: 4096 }).map((i) => i / 1024),
  fc.double({ min: -4, max: 4, noNaN: true }),
);
export const unit: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, 0.5),
  fc.double({ min: 0, max: 1, noNaN: true }),
);
export const matrix6: fc.Arbitrary<Float64Array> = fc
  .array(scalar, { minLength: 36, maxLength: 36 })
  .map((e) => Float64Array.from(e));

export const sgdParameters = fc.record({
  lr: fc.oneof(fc.constantFrom(0, 0.01, 0.1, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  momentum: fc.oneof(fc.constantFrom(0, 0.9, 0.99), fc.double({ min: 0, max: 0.999, noNaN: true })),
  weightDecay: fc.oneof(fc.constantFrom(0, 1e-4, 0.01), fc.double({ min: 0, max: 0.1, noNaN: true })),
});

export const adamParameters = fc.record({
  lr: fc.oneof(fc.constantFrom(1e-3, 1e-2, 0.1), fc.double({ min: 1e-4, max: 0.5, noNaN: true })),
  beta1: fc.oneof(fc.constantFrom(0, 0.5, 0.9, 0.99), fc.double({ min: 0, max: 0.999, noNaN: true })),
  beta2: fc.oneof(
    fc.constantFrom(0.9, 0.99, 0.999, 0.9999),
    fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
  ),
  eps: fc.constantFrom(1e-8, 1e-6, 1e-3),
  weightDecay: fc.oneof(fc.constantFrom(0, 0.01, 0.1), fc.double({ min: 0, max: 0.5, noNaN: true })),
});

// ---------------------------------------------------------------------------------------------------
// Comparison helpers

export const f32 = (xs: readonly number[]): Float64Array => Float64Array.from(xs, (v) => Math.fround(v));

export async function readBack(k: KernelsUnderTest, x: Vec): Promise<Float32Array> {
  const values = await readOf(k, x);
  if (values === undefined) throw new Error(`${k.name}: read gave undefined on a numeric implementation`);
  return values;
}

/** Every coordinate within RTOL·(|want| + scale) + ATOL + extra (NaN never passes). `extra`: an
 *  absolute allowance per coordinate on top of ATOL, where an operation magnifies flushed values. */
export function expectClose(
  what: string,
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  scale: ArrayLike<number>,
  extra?: ArrayLike<number>,
): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const bound = RTOL * (Math.abs(w) + scale[i]!) + ATOL + (extra === undefined ? 0 : extra[i]!);
    if (!(Math.abs(g - w) <= bound))
      throw new Error(`${what}[${i}] = ${g}, expected ${w} ± ${bound} (scale ${scale[i]})`);
  }
}

/** Every coordinate exactly equal (0 and −0 count as equal). */
export function expectSame(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, expected ${want.length}`);
  for (let i = 0; i < want.length; i++)
    if (got[i] !== want[i]) throw new Error(`${what}[${i}] = ${got[i]}, expected exactly ${want[i]}`);
}

export function expectCloseScalar(what: string, got: number, want: number, scale: number): void {
  expectClose(what, [got], [want], [scale]);
}

/** What `f` throws: synchronously, or as the rejection of the promise it returns (async read-backs). */
export async function failure(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** One implementation per suite, made on first use and shared (a GPU device is costly to create). */
export function lazy(make: KernelsFactory): () => Promise<KernelsUnderTest> {
  let made: Promise<KernelsUnderTest> | undefined;
  return () => {
    made ??= Promise.resolve(make());
    return made;
  };
}

// ---------------------------------------------------------------------------------------------------
// The contract: every implementation

export type VectorsCall = (k: KernelsUnderTest, v: readonly Vec[]) => unknown;
export const identity6 = Float64Array.from({ length: 36 }, (_, i) => (i % 7 === 0 ? 1 : 0));

/** Each operation taking several vectors, with how many, called on v[0..arity). */
export const multiVectorOps: readonly (readonly [string, number, VectorsCall])[] = [
  ["copy", 2, (k, v) => k.copy(v[0]!, v[1]!)],
  ["axpy", 2, (k, v) => k.axpy(v[0]!, 0.5, v[1]!)],
  ["axpby", 2, (k, v) => k.axpby(v[0]!, 0.5, v[1]!, 2)],
  ["lerp", 2, (k, v) => k.lerp(v[0]!, v[1]!, 0.25)],
  ["pairAverage", 2, (k, v) => k.pairAverage(v[0]!, v[1]!)],
  ["mix2", 2, (k, v) => k.mix2(v[0]!, v[1]!, 0.75, 0.25)],
  ["dot", 2, (k, v) => k.dot(v[0]!, v[1]!)],
  ["squaredDistance", 2, (k, v) => k.squaredDistance(v[0]!, v[1]!)],
  ["sgdMomentum", 3, (k, v) => k.sgdMomentum(v[0]!, v[1]!, v[2]!, 0.1, 0.9, 0.01)],
  ["adamw", 4, (k, v) => k.adamw(v[0]!, v[1]!, v[2]!, v[3]!, 1, 0.1, 0.9, 0.999, 1e-8, 0.01)],
  ["linear6", 6, (k, v) => k.linear6([v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!], identity6)],
  ["a2cid2Exchange", 3, (k, v) => k.a2cid2Exchange(v[0]!, v[1]!, v[2]!, 0.5, 0.25)],
  [
    "a2cid2GradientStep",
    4,
    (k, v) => k.a2cid2GradientStep(v[0]!, v[1]!, v[2]!, v[3]!, 0.75, 0.25, 0.1, 0.9, 0.01),
  ],
];

/** Distinct, recognisable values for vector `j` of length `n`. */
export const pattern = (j: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => 100 * j + i + 1);
