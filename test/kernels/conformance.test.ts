/**
 * One conformance suite (./conformance.ts), every implementation with numbers: the CPU kernels and
 * the WebGPU kernels, the same fast-check properties against the same float64 references and the
 * same tolerance (explained in ./conformance.ts). The WebGPU half also checks the matmul kernel
 * (./conformance-matmul.ts) and what only a device implementation does (aliasing rewrites, distinct
 * vectors, padding).
 *
 * When no WebGPU adapter can be opened, the WebGPU half is skipped with its reason (what to install)
 * printed once to stderr, and shows as skipped in the report.
 */
import { describe, expect, it } from "vitest";
import { CpuKernels } from "../../kernels/cpu.ts";
import { WebGpuKernels } from "../../kernels/webgpu/webgpu-kernels.ts";
import { runKernelConformance } from "./conformance.ts";
import { testGpu } from "./conformance-gpu.ts";
import { runMatmulConformance } from "./conformance-matmul.ts";

/** Fewer runs per property on the device: each run costs several ~150 µs submit round trips. */
const GPU_RUNS = 40;

runKernelConformance("cpu", () => new CpuKernels());

const gpu = await testGpu();
const title = gpu.ctx === undefined ? `webgpu (${gpu.skipReason})` : `webgpu on ${gpu.description}`;

describe.skipIf(gpu.ctx === undefined)(title, () => {
  const kernels = () => new WebGpuKernels(gpu.ctx!);
  runKernelConformance("webgpu", kernels, { numRuns: GPU_RUNS });
  runMatmulConformance(async () => gpu.ctx!);

  describe("webgpu kernels: specifics", () => {
    const k = gpu.ctx === undefined ? undefined : kernels();

    it("rewrites the aliased calls the CPU kernels allow, with the CPU kernels' results", async () => {
      const cpu = new CpuKernels();
      const values = [1.5, -2, 3.25, 7, -0.5];
      const calls: [string, (kk: CpuKernels | WebGpuKernels, x: ReturnType<typeof kk.alloc>) => void][] = [
        ["axpy(x, a, x)", (kk, x) => kk.axpy(x, 0.5, x)],
        ["axpby(x, a, x, b)", (kk, x) => kk.axpby(x, 0.5, x, 2)],
        ["lerp(x, x, t)", (kk, x) => kk.lerp(x, x, 0.3)],
        ["pairAverage(x, x)", (kk, x) => kk.pairAverage(x, x)],
        ["mix2(x, x, a, b)", (kk, x) => kk.mix2(x, x, 0.75, 0.5)],
        ["copy(x, x)", (kk, x) => kk.copy(x, x)],
      ];
      for (const [what, call] of calls) {
        const [onCpu, onGpu] = [cpu.fromArray(values), k!.fromArray(values)];
        call(cpu, onCpu);
        call(k!, onGpu);
        expect(Array.from(await k!.read(onGpu)), what).toEqual(Array.from(await cpu.read(onCpu)));
      }
    });

    it("refuses one vector twice in linear6 and the optimizers (a RangeError), changing nothing", async () => {
      const [x, m, v] = [k!.fromArray([1, 2]), k!.fromArray([3, 4]), k!.fromArray([5, 6])];
      const e = Float64Array.from({ length: 36 }, (_, i) => (i % 7 === 0 ? 1 : 0));
      expect(() => k!.linear6([x, m, v, x, m, v], e)).toThrow(RangeError);
      expect(() => k!.sgdMomentum(x, x, m, 0.1, 0.9, 0)).toThrow(RangeError);
      expect(() => k!.adamw(x, m, v, m, 1, 0.1, 0.9, 0.999, 1e-8, 0)).toThrow(RangeError);
      expect(() => k!.a2cid2Exchange(x, m, x, 0.5, 0.25)).toThrow(RangeError);
      expect(() => k!.a2cid2GradientStep(x, m, v, m, 0.75, 0.25, 0.1, 0.9, 0)).toThrow(RangeError);
      expect(Array.from(await k!.read(x))).toEqual([1, 2]);
    });

    it("rejects vectors of another implementation with a TypeError", async () => {
      const cpuVec = new CpuKernels().alloc(3);
      expect(() => k!.fill(cpuVec, 1)).toThrow(TypeError);
      await expect(k!.read(cpuVec)).rejects.toThrow(TypeError);
    });

    it("never writes the padding past a length that is not a multiple of 4", async () => {
      // Every operation on 5 coordinates, then the whole 8-float buffer read back: the 3 past the end
      // are still the zeros alloc gave them, so a reduction over whole vec4s would not see them either.
      const s = [0, 1, 2, 3, 4, 5].map((j) => k!.fromArray([1, 2, 3, 4, 5].map((v) => v + j)));
      const [a, b, c, d] = [s[0]!, s[1]!, s[2]!, s[3]!];
      k!.fill(a, 7);
      k!.scale(a, 3);
      k!.axpy(a, 2, b);
      k!.axpby(a, 2, b, 3);
      k!.lerp(a, b, 0.5);
      k!.pairAverage(a, b);
      k!.mix2(a, b, 0.5, 2);
      k!.linear6(
        [s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!],
        Float64Array.from({ length: 36 }, (_, i) => i + 1),
      );
      k!.sgdMomentum(a, b, c, 0.1, 0.9, 0.1);
      k!.adamw(a, b, c, d, 1, 0.1, 0.9, 0.999, 0, 0.1);
      k!.a2cid2Exchange(a, b, c, 0.5, 0.25);
      k!.a2cid2GradientStep(a, b, c, d, 0.75, 0.25, 0.1, 0.9, 0.1);
      for (const x of s) {
        const whole = new Float32Array(await gpu.ctx!.read((x as { buffer: GPUBuffer }).buffer, 0, 32));
        expect(Array.from(whole.subarray(5))).toEqual([0, 0, 0]);
      }
    });
  });
});
