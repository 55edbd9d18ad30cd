/**
 * The shape-only kernels. The numeric conformance suite (runKernelConformance) does not apply: these
 * vectors carry no numbers, so there is nothing to compare with a reference. What does apply is the
 * contract every implementation shares (runKernelContract: lengths, argument checks, no numbers when
 * `numeric` is false), plus checks that errors are the CPU kernels' own and that sizes cost nothing.
 */
import { describe, expect, it } from "vitest";
import { CpuKernels } from "../../kernels/cpu.ts";
import type { Vec } from "../../kernels/kernels.ts";
import { ShapeKernels, ShapeVec } from "../../kernels/shape.ts";
import { identity6, multiVectorOps } from "./conformance-support.ts";
import { runKernelContract } from "./kernel-contract.ts";

runKernelContract("shape", () => new ShapeKernels());

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** What `f` throws, or what the promise it returns rejects with (dot and squaredDistance). */
async function failure(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("shape kernels: specifics", () => {
  const k = new ShapeKernels();

  it("is not numeric, and its vectors are a length with no data", async () => {
    expect(k.name).toBe("shape");
    expect(k.numeric).toBe(false);
    const x = k.alloc(7);
    expect(x).toBeInstanceOf(ShapeVec);
    expect(x).toMatchObject({ length: 7, data: undefined });
    expect(k.fromArray([1, 2, 3])).toMatchObject({ length: 3, data: undefined });
    expect(k.fromArray(new Float32Array(11)).length).toBe(11);
    expect(await k.read(x)).toBeUndefined();
  });

  it("keeps billion-parameter vectors for free, and every operation on matching lengths succeeds", async () => {
    const n = 7e9;
    const v = Array.from({ length: 6 }, () => k.alloc(n));
    const [x, m, s, g, y, z] = v as [Vec, Vec, Vec, Vec, Vec, Vec];
    expect(x.length).toBe(n);
    k.fill(x, 1);
    k.copy(x, m);
    k.scale(x, 2);
    k.axpy(x, 2, m);
    k.axpby(x, 2, m, 3);
    k.lerp(x, m, 0.5);
    k.pairAverage(x, m);
    k.mix2(x, m, 0.75, 0.25);
    k.linear6([x, m, s, g, y, z], identity6);
    expect(await k.dot(x, m)).toBeNaN();
    expect(await k.squaredDistance(x, m)).toBeNaN();
    k.sgdMomentum(x, m, g, 0.1, 0.9, 0);
    k.adamw(x, m, s, g, 3, 0.1, 0.9, 0.999, 1e-8, 0.01);
    expect(await k.read(x)).toBeUndefined();
  });

  it("throws (or rejects with) exactly what the CPU kernels do on mismatched lengths", async () => {
    const cpu = new CpuKernels();
    for (const [op, arity, call] of multiVectorOps)
      for (let position = 0; position < arity; position++) {
        const lengths = Array.from({ length: arity }, (_, j) => (j === position ? 2 : 3));
        const fromCpu = await failure(() =>
          call(
            cpu,
            lengths.map((n) => cpu.alloc(n)),
          ),
        );
        const fromShape = await failure(() =>
          call(
            k,
            lengths.map((n) => k.alloc(n)),
          ),
        );
        expect(fromCpu, op).toBeInstanceOf(RangeError);
        expect(fromShape, op).toBeInstanceOf(RangeError);
        expect((fromShape as RangeError).message, op).toBe((fromCpu as RangeError).message);
      }
    const bad = [0, 1, 2, 3, 4, 5].map(() => 1);
    const cpuSix = bad.map((n) => cpu.alloc(n));
    const shapeSix = bad.map((n) => k.alloc(n));
    const e = new Float64Array(35);
    const cpuError = thrown(() =>
      cpu.linear6([cpuSix[0]!, cpuSix[1]!, cpuSix[2]!, cpuSix[3]!, cpuSix[4]!, cpuSix[5]!], e),
    );
    const shapeError = thrown(() =>
      k.linear6([shapeSix[0]!, shapeSix[1]!, shapeSix[2]!, shapeSix[3]!, shapeSix[4]!, shapeSix[5]!], e),
    );
    expect((shapeError as RangeError).message).toBe((cpuError as RangeError).message);
    const [a, b] = [cpu.alloc(1), k.alloc(1)];
    expect((thrown(() => k.adamw(b, b, b, b, 0, 0.1, 0.9, 0.999, 1e-8, 0)) as RangeError).message).toBe(
      (thrown(() => cpu.adamw(a, a, a, a, 0, 0.1, 0.9, 0.999, 1e-8, 0)) as RangeError).message,
    );
    expect((thrown(() => k.alloc(-1)) as RangeError).message).toBe(
      (thrown(() => cpu.alloc(-1)) as RangeError).message,
    );
  });

  it("accepts any vector, looking only at its length", () => {
    const cpu = new CpuKernels();
    expect(() => k.axpy(cpu.alloc(3), 1, k.alloc(3))).not.toThrow();
    expect(() => k.axpy(cpu.alloc(3), 1, k.alloc(4))).toThrow(RangeError);
  });
});
