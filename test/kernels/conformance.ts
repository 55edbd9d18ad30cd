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
import { fusedA2cid2Properties } from "./conformance-a2cid2.ts";
import { reductionAndOptimizerProperties } from "./conformance-reductions.ts";
import {
  type ConformanceOptions,
  DRAWN_ONE_BY_ONE,
  expectClose,
  expectSame,
  f32,
  identity6,
  type KernelsFactory,
  type KernelsUnderTest,
  lazy,
  length,
  matrix6,
  readBack,
  scalar,
  unit,
  vec,
  vecs1,
  vecs2,
  vecs6,
} from "./conformance-support.ts";
import { contractSuite } from "./kernel-contract.ts";

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

    reductionAndOptimizerProperties(property);
    fusedA2cid2Properties(property);
  });
}
