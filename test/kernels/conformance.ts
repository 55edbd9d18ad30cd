/**
 * The conformance suite every `Kernels` implementation must pass (one suite, many implementations):
 *
 * - `runKernelContract(name, make)`: what holds for every implementation, numeric or not — lengths of
 *   allocated vectors, the argument checks (a RangeError for mismatched lengths, a bad matrix, a bad
 *   Adam step or a bad allocation length, leaving every vector untouched; the asynchronous `dot` and
 *   `squaredDistance` reject with it instead of throwing), and what `read`, `dot` and
 *   `squaredDistance` give on a non-numeric implementation.
 * - `runKernelConformance(name, make)`: the contract, then every operation, on random inputs from
 *   fast-check, against a plain float64 reference written here, plus algebraic properties
 *   (conservation, identities, several consecutive optimizer steps with the state carried over).
 *   Only for implementations with numbers (`numeric` true).
 *
 * The suite touches an implementation only through `alloc`, `fromArray`, the operations and the
 * read-backs, and it `await`s every read-back and the factory. The read-backs `read`, `dot` and
 * `squaredDistance` are asynchronous in every implementation (a WebGPU device can only read
 * asynchronously); the contract checks that they return promises and that a bad argument rejects
 * rather than throws. The implementation is made
 * once per suite and shared by its tests. Aliasing (one vector passed twice) is not part of the
 * contract — WebGPU forbids binding one buffer twice as writable — so it is tested per implementation.
 *
 * Lengths: mostly 0..300 (tails of every size mod 4), sometimes 1000 or 65537 (several workgroups,
 * several partial sums), whose coordinates come from a seeded generator rather than one by one.
 *
 * Tolerance. The inputs are float32 (the implementation stores float32); the reference computes in
 * float64 from those float32 inputs. A coordinate passes when
 *
 *     |got − want| ≤ RTOL · (|want| + scale) + ATOL,   RTOL = 1e-5, ATOL = 1e-30,
 *
 * where `scale` is the sum of the magnitudes of the terms that make the result (axpy: |y| + |a·x|;
 * dot: Σ|xᵢyᵢ|; linear6: Σ_c |E_rc·s_c|; for optimizer steps a running sum carried from step to step,
 * see below). Why: an expression evaluated in float32 with k roundings errs by at most about
 * k·u·scale, u = 2⁻²⁴ ≈ 6e-8, whatever the cancellation; RTOL = 1e-5 ≈ 170·u leaves room for a
 * GPU evaluating everything in float32 (scalars rounded to float32, a few roundings per term,
 * fused multiply-adds, a tree reduction over ≤ 300 terms: ≤ 9·u·scale), while a wrong formula, a
 * wrong coefficient or a coordinate read after it was overwritten is off by far more. Measured over
 * 2000 runs a property, the worst error seen was 2.4·u·(|want| + scale) for the CPU kernels (float64
 * arithmetic, one rounding per stored value; the worst case being x after several AdamW steps) and
 * 4.3·u for test/kernels/float32-emulation.test.ts (all-float32, flush-to-zero): RTOL sits ~40×
 * above both, and every deliberate formula bug tried (dampening, Nesterov, a missing bias
 * correction, coupled weight decay, ε inside the root, mix2 or linear6 reading a new value, …) fails
 * by orders of magnitude. Relative
 * to `scale` rather than to |want| because results that cancel (x − lr·m, a·x + b·y) are only as
 * precise as the terms. ATOL covers only values below float32's normal range (a GPU flushes
 * subnormals to zero; 1e-30 is far below any value a test cares about but above 2⁻¹²⁶·300).
 * For multi-step optimizer comparisons the reference carries, per coordinate, the running magnitude
 * of everything that went into x, m and v (e.g. SGD: s_m ← μ·s_m + |g| + wd·s_x; s_x ← s_x + lr·s_m),
 * so errors accumulated over steps stay within the bound without loosening it for one step. AdamW
 * divides by √v̂ + ε, which may be as small as ε: there the absolute allowance of x also carries what a
 * flush to zero of a tiny m or lr·m can lose, (1 + lr/(1 − β₁ᵗ))·2⁻¹²⁶/(√v̂ + ε) per step (≤ 1e-27 with
 * the parameters drawn here, still far below any value of interest).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Kernels, Vec } from "../../kernels/kernels.ts";

type MaybePromise<T> = T | Promise<T>;

/** What the suite tests: any `Kernels` (its read-backs are asynchronous, as on a device). */
export type KernelsUnderTest = Kernels;

/** The read-backs, named as the suite has always called them. */
const readOf = (k: KernelsUnderTest, x: Vec): Promise<Float32Array | undefined> => k.read(x);
const dotOf = (k: KernelsUnderTest, x: Vec, y: Vec): Promise<number> => k.dot(x, y);
const squaredDistanceOf = (k: KernelsUnderTest, x: Vec, y: Vec): Promise<number> => k.squaredDistance(x, y);

export type KernelsFactory = () => MaybePromise<KernelsUnderTest>;

export interface ConformanceOptions {
  /** fast-check runs per property (default 100). */
  readonly numRuns?: number;
}

export const RTOL = 1e-5;
export const ATOL = 1e-30;
/** The smallest normal float32: what a flush-to-zero may lose on any stored value. */
const F32_MIN_NORMAL = 2 ** -126;

// ---------------------------------------------------------------------------------------------------
// Generators

/** Coordinates: exact small constants, ordinary magnitudes, and the whole float32 range up to 1e4
 *  (fast-check spreads exponents evenly, so tiny and subnormal values come up often). */
const coordinate: fc.Arbitrary<number> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1, -1, 0.5) },
  { weight: 5, arbitrary: fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((i) => i / 1024) },
  { weight: 3, arbitrary: fc.float({ min: -1e4, max: 1e4, noNaN: true }) },
);

/**
 * Lengths 0..300, with the short ones that exercise vector-of-four tails always in the mix, and now
 * and then a long one: 1000, or 65537 (more than one workgroup of 256 invocations × 4 coordinates per
 * invocation, with a one-coordinate tail; more than one partial sum in a tree reduction).
 */
const length: fc.Arbitrary<number> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 299, 300) },
  { weight: 10, arbitrary: fc.integer({ min: 0, max: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom(1000, 65537) },
);

/** Above this length coordinates come from a seeded generator: fast-check would spend seconds
 *  drawing (and shrinking) 65537 values one by one. */
const DRAWN_ONE_BY_ONE = 300;

/** `n` coordinates like `coordinate`'s (exact small constants, dyadic values, float32 of every
 *  magnitude up to 1e4), from a seed. */
function seededCoordinates(n: number, seed: number): number[] {
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

const vec = (n: number): fc.Arbitrary<number[]> =>
  n <= DRAWN_ONE_BY_ONE
    ? fc.array(coordinate, { minLength: n, maxLength: n })
    : fc.integer().map((seed) => seededCoordinates(n, seed));
const vecs1 = length.chain((n) => vec(n));
const vecs2 = length.chain((n) => fc.tuple(vec(n), vec(n)));
const vecs3 = length.chain((n) => fc.tuple(vec(n), vec(n), vec(n)));
const vecs4 = length.chain((n) => fc.tuple(vec(n), vec(n), vec(n), vec(n)));
const vecs6 = length.chain((n) => fc.tuple(vec(n), vec(n), vec(n), vec(n), vec(n), vec(n)));
/** An initial x and `steps` gradients of its length, 1 ≤ steps ≤ 6. */
const trajectory = fc
  .tuple(length, fc.integer({ min: 1, max: 6 }))
  .chain(([n, steps]) => fc.tuple(vec(n), fc.array(vec(n), { minLength: steps, maxLength: steps })));

const scalar: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, -1, 0.5, 2, -0.25),
  fc.integer({ min: -4096, max: 4096 }).map((i) => i / 1024),
  fc.double({ min: -4, max: 4, noNaN: true }),
);
const unit: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, 0.5),
  fc.double({ min: 0, max: 1, noNaN: true }),
);
const matrix6: fc.Arbitrary<Float64Array> = fc
  .array(scalar, { minLength: 36, maxLength: 36 })
  .map((e) => Float64Array.from(e));

const sgdParameters = fc.record({
  lr: fc.oneof(fc.constantFrom(0, 0.01, 0.1, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  momentum: fc.oneof(fc.constantFrom(0, 0.9, 0.99), fc.double({ min: 0, max: 0.999, noNaN: true })),
  weightDecay: fc.oneof(fc.constantFrom(0, 1e-4, 0.01), fc.double({ min: 0, max: 0.1, noNaN: true })),
});

const adamParameters = fc.record({
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

const f32 = (xs: readonly number[]): Float64Array => Float64Array.from(xs, (v) => Math.fround(v));

async function readBack(k: KernelsUnderTest, x: Vec): Promise<Float32Array> {
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
function expectSame(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, expected ${want.length}`);
  for (let i = 0; i < want.length; i++)
    if (got[i] !== want[i]) throw new Error(`${what}[${i}] = ${got[i]}, expected exactly ${want[i]}`);
}

function expectCloseScalar(what: string, got: number, want: number, scale: number): void {
  expectClose(what, [got], [want], [scale]);
}

/** What `f` throws: synchronously, or as the rejection of the promise it returns (async read-backs). */
async function failure(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** One implementation per suite, made on first use and shared (a GPU device is costly to create). */
function lazy(make: KernelsFactory): () => Promise<KernelsUnderTest> {
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
  ["a2cid2Exchange", 3, (k, v) => k.a2cid2Exchange(v[0]!, v[1]!, v[2]!, 0.5, 0.25)],
  [
    "a2cid2GradientStep",
    4,
    (k, v) => k.a2cid2GradientStep(v[0]!, v[1]!, v[2]!, v[3]!, 0.75, 0.25, 0.1, 0.9, 0.01),
  ],
  ["sgdMomentum", 3, (k, v) => k.sgdMomentum(v[0]!, v[1]!, v[2]!, 0.1, 0.9, 0.01)],
  ["adamw", 4, (k, v) => k.adamw(v[0]!, v[1]!, v[2]!, v[3]!, 1, 0.1, 0.9, 0.999, 1e-8, 0.01)],
  ["linear6", 6, (k, v) => k.linear6([v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!], identity6)],
];

/** Distinct, recognisable values for vector `j` of length `n`. */
const pattern = (j: number, n: number): number[] => Array.from({ length: n }, (_, i) => 100 * j + i + 1);

export function runKernelContract(
  name: string,
  make: KernelsFactory,
  options: ConformanceOptions = {},
): void {
  contractSuite(name, lazy(make), options.numRuns ?? 100);
}

function contractSuite(name: string, kernels: () => Promise<KernelsUnderTest>, numRuns: number): void {
  describe(`${name} kernels: contract`, () => {
    it("has a name and says whether it carries numbers", async () => {
      const k = await kernels();
      expect(typeof k.name).toBe("string");
      expect(k.name.length).toBeGreaterThan(0);
      expect(typeof k.numeric).toBe("boolean");
    });

    it("alloc and fromArray give vectors of the requested length", async () => {
      const k = await kernels();
      await fc.assert(
        fc.asyncProperty(vecs1, async (xs) => {
          expect(k.alloc(xs.length).length).toBe(xs.length);
          const x = k.fromArray(xs);
          expect(x.length).toBe(xs.length);
          expect(k.fromArray(Float32Array.from(xs)).length).toBe(xs.length);
          const values = await readOf(k, x);
          if (k.numeric) expect(values?.length).toBe(xs.length);
          else expect(values).toBeUndefined();
        }),
        { numRuns },
      );
    });

    it("alloc rejects a negative, fractional or non-finite length with a RangeError", async () => {
      const k = await kernels();
      for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
        expect(() => k.alloc(bad), `alloc(${bad})`).toThrow(RangeError);
    });

    for (const [op, arity, call] of multiVectorOps) {
      it(`${op} throws a RangeError on mismatched lengths, whichever vector differs, and changes nothing`, async () => {
        const k = await kernels();
        for (const [n, odd] of [
          [3, 4],
          [4, 3],
          [0, 1],
          [5, 0],
        ] as const) {
          for (let position = 0; position < arity; position++) {
            const values = Array.from({ length: arity }, (_, j) => pattern(j, j === position ? odd : n));
            const v = values.map((xs) => k.fromArray(xs));
            const error = await failure(() => call(k, v));
            expect(error, `${op}: lengths ${n}, vector ${position} of ${odd}`).toBeInstanceOf(RangeError);
            if (k.numeric)
              for (let j = 0; j < arity; j++)
                expectSame(`${op}: vector ${j}`, await readBack(k, v[j]!), values[j]!);
          }
        }
      });
    }

    it("linear6 throws a RangeError unless the matrix has 36 entries", async () => {
      const k = await kernels();
      const s = [0, 1, 2, 3, 4, 5].map(() => k.alloc(3));
      const six = [s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!] as const;
      for (const entries of [0, 6, 35, 37])
        expect(() => k.linear6(six, new Float64Array(entries)), `${entries} entries`).toThrow(RangeError);
      expect(() => k.linear6(six, identity6)).not.toThrow();
    });

    it("adamw throws a RangeError unless the step t is an integer ≥ 1", async () => {
      const k = await kernels();
      const [x, m, v, g] = [k.alloc(2), k.alloc(2), k.alloc(2), k.alloc(2)];
      for (const t of [0, -1, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
        expect(() => k.adamw(x, m, v, g, t, 0.1, 0.9, 0.999, 1e-8, 0), `t = ${t}`).toThrow(RangeError);
      expect(() => k.adamw(x, m, v, g, 1, 0.1, 0.9, 0.999, 1e-8, 0)).not.toThrow();
    });

    it("gives no numbers unless numeric: read undefined, dot and squaredDistance NaN", async () => {
      const k = await kernels();
      const x = k.fromArray([1, 2, 3]);
      const y = k.fromArray([4, 5, 6]);
      if (k.numeric) {
        expect(await readOf(k, x)).toBeInstanceOf(Float32Array);
        expect(await dotOf(k, x, y)).toBe(32);
        expect(await squaredDistanceOf(k, x, y)).toBe(27);
      } else {
        expect(await readOf(k, x)).toBeUndefined();
        expect(await dotOf(k, x, y)).toBeNaN();
        expect(await squaredDistanceOf(k, x, y)).toBeNaN();
      }
    });

    it("read, dot and squaredDistance return promises, and a bad argument rejects rather than throws", async () => {
      const k = await kernels();
      const x = k.fromArray([1, 2, 3]);
      const y = k.fromArray([4, 5, 6]);
      const short = k.fromArray([1]);
      const calls = [
        ["read", () => k.read(x)],
        ["dot", () => k.dot(x, y)],
        ["squaredDistance", () => k.squaredDistance(x, y)],
      ] as const;
      for (const [name, call] of calls) expect(call(), name).toBeInstanceOf(Promise);
      // The reductions check their arguments (rejecting rather than throwing).
      let dotCall: Promise<number> | undefined;
      let distanceCall: Promise<number> | undefined;
      expect(() => {
        dotCall = k.dot(x, short);
        distanceCall = k.squaredDistance(short, y);
      }).not.toThrow();
      await expect(dotCall).rejects.toThrow(RangeError);
      await expect(distanceCall).rejects.toThrow(RangeError);
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// The numeric suite

export function runKernelConformance(
  name: string,
  make: KernelsFactory,
  options: ConformanceOptions = {},
): void {
  const kernels = lazy(make);
  const numRuns = options.numRuns ?? 100;
  contractSuite(name, kernels, numRuns);

  /** One property over `arb`, the implementation made once for it. */
  function property<T>(
    title: string,
    arb: fc.Arbitrary<T>,
    body: (k: KernelsUnderTest, input: T) => Promise<void>,
  ) {
    it(title, async () => {
      const k = await kernels();
      await fc.assert(
        fc.asyncProperty(arb, (input) => body(k, input)),
        { numRuns },
      );
    });
  }

  describe(`${name} kernels: numeric conformance`, () => {
    it("is numeric", async () => {
      expect((await kernels()).numeric).toBe(true);
    });

    // --- storage -------------------------------------------------------------------------------------

    property(
      "fromArray then read gives the values rounded to float32",
      length.chain((n) =>
        n <= DRAWN_ONE_BY_ONE
          ? fc.array(fc.double({ min: -1e30, max: 1e30, noNaN: true }), { minLength: n, maxLength: n })
          : vec(n).map((xs) => xs.map((v) => v * 1e26 + 1 / 3)),
      ),
      async (k, xs) => {
        expectSame("read", await readBack(k, k.fromArray(xs)), f32(xs));
      },
    );

    property("read returns a copy: writing into it leaves the vector alone", vecs1, async (k, xs) => {
      const x = k.fromArray(xs);
      const first = await readBack(k, x);
      first.fill(7);
      expectSame("read again", await readBack(k, x), f32(xs));
    });

    property("alloc gives zeros", length, async (k, n) => {
      expectSame("alloc", await readBack(k, k.alloc(n)), new Float64Array(n));
    });

    property(
      "fill sets every coordinate to the value (as float32)",
      fc.tuple(vecs1, scalar),
      async (k, [xs, c]) => {
        const x = k.fromArray(xs);
        k.fill(x, c);
        expectSame("fill", await readBack(k, x), new Float64Array(xs.length).fill(Math.fround(c)));
      },
    );

    property("copy copies exactly and leaves the source alone", vecs2, async (k, [ds, ss]) => {
      const dst = k.fromArray(ds);
      const src = k.fromArray(ss);
      k.copy(dst, src);
      expectSame("dst", await readBack(k, dst), f32(ss));
      expectSame("src", await readBack(k, src), f32(ss));
    });

    // --- element-wise operations ---------------------------------------------------------------------

    property("scale: x ← a·x", fc.tuple(vecs1, scalar), async (k, [xs, a]) => {
      const x = k.fromArray(xs);
      k.scale(x, a);
      const want = f32(xs).map((v) => a * v);
      expectClose("x", await readBack(k, x), want, want.map(Math.abs));
    });

    property("axpy: y ← y + a·x, x unchanged", fc.tuple(vecs2, scalar), async (k, [[ys, xs], a]) => {
      const y = k.fromArray(ys);
      const x = k.fromArray(xs);
      k.axpy(y, a, x);
      const [y0, x0] = [f32(ys), f32(xs)];
      const want = y0.map((v, i) => v + a * x0[i]!);
      const scale = y0.map((v, i) => Math.abs(v) + Math.abs(a * x0[i]!));
      expectClose("y", await readBack(k, y), want, scale);
      expectSame("x", await readBack(k, x), x0);
    });

    property(
      "axpby: y ← a·x + b·y, x unchanged",
      fc.tuple(vecs2, scalar, scalar),
      async (k, [[ys, xs], a, b]) => {
        const y = k.fromArray(ys);
        const x = k.fromArray(xs);
        k.axpby(y, a, x, b);
        const [y0, x0] = [f32(ys), f32(xs)];
        const want = y0.map((v, i) => a * x0[i]! + b * v);
        const scale = y0.map((v, i) => Math.abs(a * x0[i]!) + Math.abs(b * v));
        expectClose("y", await readBack(k, y), want, scale);
        expectSame("x", await readBack(k, x), x0);
      },
    );

    property("lerp: x ← x + t·(y − x), y unchanged", fc.tuple(vecs2, scalar), async (k, [[xs, ys], t]) => {
      const x = k.fromArray(xs);
      const y = k.fromArray(ys);
      k.lerp(x, y, t);
      const [x0, y0] = [f32(xs), f32(ys)];
      const want = x0.map((v, i) => v + t * (y0[i]! - v));
      const scale = x0.map((v, i) => Math.abs(v) + Math.abs(t) * (Math.abs(v) + Math.abs(y0[i]!)));
      expectClose("x", await readBack(k, x), want, scale);
      expectSame("y", await readBack(k, y), y0);
    });

    property("lerp with t = 0 leaves x, with t = 1 gives y", vecs2, async (k, [xs, ys]) => {
      const [x0, y0] = [f32(xs), f32(ys)];
      const scale = x0.map((v, i) => Math.abs(v) + Math.abs(y0[i]!));
      const x = k.fromArray(xs);
      const y = k.fromArray(ys);
      k.lerp(x, y, 0);
      expectClose("t = 0", await readBack(k, x), x0, scale);
      k.lerp(x, y, 1);
      expectClose("t = 1", await readBack(k, x), y0, scale);
    });

    property(
      "pairAverage: both become (x + y)/2, equal to each other, and x + y is conserved",
      vecs2,
      async (k, [xs, ys]) => {
        const x = k.fromArray(xs);
        const y = k.fromArray(ys);
        k.pairAverage(x, y);
        const [x0, y0] = [f32(xs), f32(ys)];
        const want = x0.map((v, i) => (v + y0[i]!) / 2);
        const scale = x0.map((v, i) => (Math.abs(v) + Math.abs(y0[i]!)) / 2);
        const [x1, y1] = [await readBack(k, x), await readBack(k, y)];
        expectClose("x", x1, want, scale);
        expectSame("y = x", y1, x1);
        expectClose(
          "x + y",
          x1.map((v, i) => v + y1[i]!),
          x0.map((v, i) => v + y0[i]!),
          scale.map((s) => 2 * s),
        );
      },
    );

    property(
      "mix2: x ← a·x + b·x̃ and x̃ ← a·x̃ + b·x, both from the old values",
      fc.tuple(vecs2, scalar, scalar),
      async (k, [[xs, ts], a, b]) => {
        const x = k.fromArray(xs);
        const xt = k.fromArray(ts);
        k.mix2(x, xt, a, b);
        const [x0, t0] = [f32(xs), f32(ts)];
        expectClose(
          "x",
          await readBack(k, x),
          x0.map((v, i) => a * v + b * t0[i]!),
          x0.map((v, i) => Math.abs(a * v) + Math.abs(b * t0[i]!)),
        );
        expectClose(
          "x̃",
          await readBack(k, xt),
          t0.map((v, i) => a * v + b * x0[i]!),
          t0.map((v, i) => Math.abs(a * v) + Math.abs(b * x0[i]!)),
        );
      },
    );

    property(
      "mix2 with a + b = 1 conserves x + x̃; a = 1, b = 0 is the identity; a = 0, b = 1 swaps",
      fc.tuple(vecs2, unit),
      async (k, [[xs, ts], a]) => {
        const [x0, t0] = [f32(xs), f32(ts)];
        const scale = x0.map((v, i) => Math.abs(v) + Math.abs(t0[i]!));
        const x = k.fromArray(xs);
        const xt = k.fromArray(ts);
        k.mix2(x, xt, a, 1 - a);
        const [x1, t1] = [await readBack(k, x), await readBack(k, xt)];
        expectClose(
          "x + x̃",
          x1.map((v, i) => v + t1[i]!),
          x0.map((v, i) => v + t0[i]!),
          scale,
        );

        const y = k.fromArray(xs);
        const yt = k.fromArray(ts);
        k.mix2(y, yt, 1, 0);
        expectClose("identity x", await readBack(k, y), x0, scale);
        expectClose("identity x̃", await readBack(k, yt), t0, scale);
        k.mix2(y, yt, 0, 1);
        expectClose("swapped x", await readBack(k, y), t0, scale);
        expectClose("swapped x̃", await readBack(k, yt), x0, scale);
      },
    );

    property(
      "linear6: s ← E·s coordinate-wise (row-major E)",
      fc.tuple(vecs6, matrix6),
      async (k, [ss, e]) => {
        const s = ss.map((xs) => k.fromArray(xs));
        k.linear6([s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!], e);
        const old = ss.map(f32);
        const n = ss[0].length;
        for (let r = 0; r < 6; r++) {
          const want = new Float64Array(n);
          const scale = new Float64Array(n);
          for (let i = 0; i < n; i++)
            for (let c = 0; c < 6; c++) {
              const term = e[6 * r + c]! * old[c]![i]!;
              want[i]! += term;
              scale[i]! += Math.abs(term);
            }
          expectClose(`s[${r}]`, await readBack(k, s[r]!), want, scale);
        }
      },
    );

    property(
      "linear6 with the identity is the identity; with a cyclic permutation it permutes",
      vecs6,
      async (k, ss) => {
        const old = ss.map(f32);
        const s = ss.map((xs) => k.fromArray(xs));
        const six = [s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!] as const;
        k.linear6(six, identity6);
        for (let r = 0; r < 6; r++)
          expectClose(`identity s[${r}]`, await readBack(k, s[r]!), old[r]!, old[r]!.map(Math.abs));
        // Row r takes s[(r + 1) mod 6]: wrong if any coordinate is read after being overwritten.
        const shift = new Float64Array(36);
        for (let r = 0; r < 6; r++) shift[6 * r + ((r + 1) % 6)] = 1;
        k.linear6(six, shift);
        for (let r = 0; r < 6; r++) {
          const from = old[(r + 1) % 6]!;
          expectClose(`shifted s[${r}]`, await readBack(k, s[r]!), from, from.map(Math.abs));
        }
      },
    );

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

    property(
      "squaredDistance: ‖x − y‖², zero from x to itself, ‖x − 0‖² = x·x",
      vecs2,
      async (k, [xs, ys]) => {
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
      },
    );

    // --- fused A²CiD² kernels ------------------------------------------------------------------------

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
  });
}
