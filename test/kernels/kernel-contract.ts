import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ConformanceOptions,
  dotOf,
  expectSame,
  failure,
  identity6,
  type KernelsFactory,
  type KernelsUnderTest,
  lazy,
  multiVectorOps,
  pattern,
  readBack,
  readOf,
  squaredDistanceOf,
  vecs1,
} from "./conformance-support.ts";

/** The contract every implementation meets, numeric or not (see conformance.ts). */
export function runKernelContract(
  name: string,
  make: KernelsFactory,
  options: ConformanceOptions = {},
): void {
  contractSuite(name, lazy(make), options.numRuns ?? 100);
}

export function contractSuite(name: string, kernels: () => Promise<KernelsUnderTest>, numRuns: number): void {
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
