import { describe, expect, it } from "vitest";
import { CpuKernels } from "../../kernels/cpu.ts";
import type { Kernels, Vec } from "../../kernels/kernels.ts";
import {
  a2cid2Sgd,
  accoAdamw,
  type Optimizer,
  optimizerStateNames,
  optimizerStateVectors,
  step,
} from "../../sim/optim/optimizer.ts";

/** Kernels that record optimizer calls and refuse everything else. */
function recording(): { kernels: Kernels; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const kernels = new Proxy({} as Kernels, {
    get(_, name) {
      if (name === "sgdMomentum" || name === "adamw")
        return (...args: unknown[]) => calls.push([name, ...args]);
      throw new Error(`unexpected kernel ${String(name)}`);
    },
  });
  return { kernels, calls };
}

const vec = (tag: string): Vec => ({ length: 3, data: undefined, tag }) as Vec;

describe("optimizers", () => {
  it("declare their state vectors", () => {
    expect(optimizerStateNames(a2cid2Sgd)).toEqual(["momentum"]);
    expect(optimizerStateNames(accoAdamw)).toEqual(["adamM", "adamV"]);
    expect(optimizerStateVectors(accoAdamw)).toEqual([
      { name: "adamM", category: "optimizerState" },
      { name: "adamV", category: "optimizerState" },
    ]);
  });

  it("dispatch to the kernels with their hyper-parameters (lr from the schedule when given)", () => {
    const { kernels, calls } = recording();
    const [x, g, m, v] = [vec("x"), vec("g"), vec("m"), vec("v")];
    const sgd: Optimizer = { kind: "sgd", lr: 0.1, momentum: 0.9, weightDecay: 5e-4 };
    step(kernels, sgd, x, g, [m], 1);
    step(kernels, sgd, x, g, [m], 2, 0.05);
    step(kernels, accoAdamw, x, g, [m, v], 7, 3e-4);
    expect(calls).toEqual([
      ["sgdMomentum", x, m, g, 0.1, 0.9, 5e-4],
      ["sgdMomentum", x, m, g, 0.05, 0.9, 5e-4],
      ["adamw", x, m, v, g, 7, 3e-4, 0.9, 0.95, 1e-8, 0.1],
    ]);
    expect(() => step(kernels, accoAdamw, x, g, [m], 1)).toThrow(/2 state vector/);
    expect(() => step(kernels, sgd, x, g, [], 1)).toThrow(/1 state vector/);
  });

  it("take PyTorch's steps on the CPU kernels", () => {
    const kernels = new CpuKernels();
    const x = kernels.fromArray([1, -2]);
    const g = kernels.fromArray([0.5, 0.25]);
    const m = kernels.alloc(2);
    const sgd: Optimizer = { kind: "sgd", lr: 0.1, momentum: 0.9, weightDecay: 0.01 };
    step(kernels, sgd, x, g, [m], 1);
    // m = g + wd·x; x ← x − lr·m.
    expect(m.data![0]).toBeCloseTo(0.51, 6);
    expect(x.data![0]).toBeCloseTo(1 - 0.051, 6);
    step(kernels, sgd, x, g, [m], 2);
    expect(m.data![0]).toBeCloseTo(0.9 * 0.51 + 0.5 + 0.01 * 0.949, 6);

    const y = kernels.fromArray([1, -2]);
    const [am, av] = [kernels.alloc(2), kernels.alloc(2)];
    const adam: Optimizer = {
      kind: "adamw",
      lr: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0.1,
    };
    step(kernels, adam, y, g, [am, av], 1);
    // First AdamW step: x ← x(1 − lr·wd) − lr·g/(|g| + ε') ≈ x(1 − lr·wd) − lr·sign(g).
    expect(y.data![0]).toBeCloseTo(1 * (1 - 0.001) - 0.01, 6);
    expect(y.data![1]).toBeCloseTo(-2 * (1 - 0.001) - 0.01, 6);
  });
});
