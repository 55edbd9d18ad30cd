import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CpuKernels, CpuVec } from "../../kernels/cpu.ts";
import { ShapeKernels } from "../../kernels/shape.ts";

// The shared conformance suite runs on the CPU kernels in conformance.test.ts, next to WebGPU.

/** The values as a plain array, −0 read as 0 (the sign of a zero result depends on the order of terms). */
const plain = (values: ArrayLike<number>): number[] => Array.from(values, (v) => v + 0);

/** A copy of a CPU vector's numbers, synchronously (inside fast-check properties): `data` is real here. */
const numbers = (x: CpuVec): Float32Array => x.data.slice();

/** What only the CPU kernels promise: Float32Array storage, float64 arithmetic, aliasing. */
describe("cpu kernels: specifics", () => {
  const k = new CpuKernels();
  const coordinate = fc.oneof(
    fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((i) => i / 1024),
    fc.float({ min: -1e4, max: 1e4, noNaN: true }),
  );
  const small = fc.array(coordinate, { maxLength: 40 });
  const scalar = fc.double({ min: -4, max: 4, noNaN: true });

  it("stores numbers in a Float32Array of the vector's length", () => {
    const x = k.fromArray([1, 2, 3]);
    expect(x).toBeInstanceOf(CpuVec);
    expect(x.data).toBeInstanceOf(Float32Array);
    expect(x.data.length).toBe(3);
    expect(k.alloc(5).data).toEqual(new Float32Array(5));
  });

  it("rejects vectors without numbers (from the shape-only kernels) with a TypeError", async () => {
    const shape = new ShapeKernels().alloc(3);
    const x = k.alloc(3);
    await expect(k.read(shape)).rejects.toThrow(TypeError);
    expect(() => k.fill(shape, 1)).toThrow(TypeError);
    expect(() => k.axpy(x, 1, shape)).toThrow(TypeError);
    await expect(k.dot(shape, x)).rejects.toThrow(TypeError);
  });

  it("dot and squaredDistance accumulate in float64", async () => {
    // In float32, 2²⁴ + 1 rounds back to 2²⁴.
    expect(await k.dot(k.fromArray([2 ** 24, 1, -(2 ** 24)]), k.fromArray([1, 1, 1]))).toBe(1);
    expect(await k.squaredDistance(k.fromArray([4096, 1]), k.fromArray([0, 0]))).toBe(2 ** 24 + 1);
  });

  it("element-wise results are the float64 value rounded once to float32", () => {
    fc.assert(
      fc.property(small, scalar, scalar, (xs, a, b) => {
        const ts = xs.map((v, i) => v - i);
        const x = k.fromArray(xs);
        const xt = k.fromArray(ts);
        const [x0, t0] = [numbers(x), numbers(xt)];
        k.mix2(x, xt, a, b);
        expect(plain(numbers(x))).toEqual(plain(Array.from(x0, (v, i) => Math.fround(a * v + b * t0[i]!))));
        expect(plain(numbers(xt))).toEqual(plain(Array.from(t0, (v, i) => Math.fround(a * v + b * x0[i]!))));
      }),
    );
  });

  it("the fused A²CiD² kernels give bit for bit what the kernels they fuse give, one after another", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }).chain((n) => {
          const one = fc.array(coordinate, { minLength: n, maxLength: n });
          return fc.tuple(one, one, one, one);
        }),
        fc.oneof(fc.constant([1, 0] as const), fc.tuple(scalar, scalar)),
        scalar,
        scalar,
        (vectors, [a, b], alpha, alphaTilde) => {
          const [xs, ts, ms, gs] = vectors;
          const [lr, momentum, weightDecay] = [Math.abs(alpha) / 4, Math.abs(alphaTilde) / 4, 0.01];
          const fused = [xs, ts, ms].map((v) => k.fromArray(v));
          const steps = [xs, ts, ms].map((v) => k.fromArray(v));
          const g = k.fromArray(gs);
          k.a2cid2GradientStep(fused[0]!, fused[1]!, fused[2]!, g, a, b, lr, momentum, weightDecay);
          if (!(a === 1 && b === 0)) k.mix2(steps[0]!, steps[1]!, a, b);
          k.sgdMomentum(steps[0]!, steps[2]!, g, lr, momentum, weightDecay);
          k.axpy(steps[1]!, -lr, steps[2]!);
          const xj = k.fromArray(gs);
          k.a2cid2Exchange(fused[0]!, fused[1]!, xj, alpha, alphaTilde);
          const fromJ = k.fromArray(gs);
          k.axpy(fromJ, -1, steps[0]!);
          k.axpy(steps[1]!, alphaTilde, fromJ);
          k.axpy(steps[0]!, alpha, fromJ);
          for (let j = 0; j < 3; j++) expect(numbers(fused[j]!)).toEqual(numbers(steps[j]!));
          expect(numbers(xj)).toEqual(Float32Array.from(gs));
        },
      ),
    );
  });

  it("linear6 reads all six coordinates before writing any, and rounds once", () => {
    fc.assert(
      fc.property(small, fc.array(scalar, { minLength: 36, maxLength: 36 }), (xs, entries) => {
        const e = Float64Array.from(entries);
        const old = [0, 1, 2, 3, 4, 5].map((j) => Float32Array.from(xs, (v) => v * (j - 2.5)));
        const s = old.map((d) => k.fromArray(d));
        k.linear6([s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!], e);
        for (let r = 0; r < 6; r++) {
          const want = xs.map((_, i) => {
            let sum = 0;
            for (let c = 0; c < 6; c++) sum += e[6 * r + c]! * old[c]![i]!;
            return Math.fround(sum);
          });
          expect(plain(numbers(s[r]!))).toEqual(plain(want));
        }
      }),
    );
  });

  it("allows one vector passed twice where the result is well defined", async () => {
    await fc.assert(
      fc.asyncProperty(small, scalar, scalar, async (xs, a, b) => {
        const x0 = Float32Array.from(xs);
        const same = (f: (x: CpuVec) => void): Float32Array => {
          const x = k.fromArray(x0);
          f(x);
          return numbers(x);
        };
        expect(plain(same((x) => k.axpy(x, a, x)))).toEqual(plain(x0.map((v) => v + a * v)));
        expect(plain(same((x) => k.axpby(x, a, x, b)))).toEqual(plain(x0.map((v) => a * v + b * v)));
        expect(plain(same((x) => k.mix2(x, x, a, b)))).toEqual(plain(x0.map((v) => a * v + b * v)));
        expect(plain(same((x) => k.pairAverage(x, x)))).toEqual(plain(x0));
        expect(plain(same((x) => k.lerp(x, x, a)))).toEqual(plain(x0));
        expect(same((x) => k.copy(x, x))).toEqual(x0);
        expect(await k.squaredDistance(k.fromArray(x0), k.fromArray(x0))).toBe(0);
      }),
    );
  });
});
