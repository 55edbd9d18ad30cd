import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type memoryMethods, memoryPerReplica, totalMemory } from "../../sim/problems/memory.ts";

const GB = 1e9;
const table = { parameters: 7.5e9, workers: 64, optimizerBytes: 12 };

describe("memory per replica (ACCO Table 1)", () => {
  it("matches the table at (K, N, Ψ) = (12, 64, 7.5B), 1 GB = 1e9 bytes", () => {
    const gb = (m: (typeof memoryMethods)[number]) => totalMemory(memoryPerReplica(m, table)) / GB;
    // Exact values, then the table's printed ones. The table rounds to the nearest GB except ZeRO-2:
    // 16.64 is printed 16 (the ZeRO paper prints 16.6); ZeRO-1's exact value is 31.41 (printed 31).
    expect(gb("ddp")).toBeCloseTo(120, 9);
    expect(gb("zero-1")).toBeCloseTo(31.40625, 9);
    expect(gb("zero-2")).toBeCloseTo(16.640625, 9);
    expect(gb("zero-3")).toBeCloseTo(1.875, 9);
    expect(gb("diloco")).toBeCloseTo(150, 9);
    expect(gb("slowmo")).toBeCloseTo(150, 9);
    expect(gb("co2")).toBeCloseTo(180, 9);
    expect(gb("acco")).toBeCloseTo(46.40625, 9);
    expect(gb("dpu")).toBe(gb("acco"));
    expect(gb("wp")).toBe(gb("acco"));
    const printed = { ddp: 120, "zero-1": 31, "zero-3": 2, diloco: 150, co2: 180, acco: 46 } as const;
    for (const [method, value] of Object.entries(printed)) {
      expect(Math.round(gb(method as keyof typeof printed))).toBe(value);
    }
    expect(Math.floor(gb("zero-2"))).toBe(16);
  });

  it("splits into categories: 2Ψ params, 2Ψ grads, KΨ(/N) optimizer, ACCO's 2Ψ buffer", () => {
    const psi = table.parameters;
    expect(memoryPerReplica("ddp", table)).toEqual({
      parameters: 2 * psi,
      gradients: 2 * psi,
      optimizerState: 12 * psi,
      buffers: 0,
    });
    expect(memoryPerReplica("acco", table)).toEqual({
      parameters: 2 * psi,
      gradients: 2 * psi,
      optimizerState: (12 / 64) * psi,
      buffers: 2 * psi,
    });
    expect(memoryPerReplica("zero-2", table).gradients).toBe((2 / 64) * psi);
    expect(memoryPerReplica("zero-3", table).parameters).toBe((2 / 64) * psi);
  });

  it("follows the table's formulas for any (Ψ, N, K)", () => {
    const shapes = fc.tuple(
      fc.double({ min: 1, max: 1e12, noNaN: true }),
      fc.integer({ min: 1, max: 100_000 }),
      fc.double({ min: 0, max: 32, noNaN: true }),
    );
    fc.assert(fc.property(shapes, ([psi, n, k]) => followsFormulas(psi, n, k)));
  });

  function followsFormulas(psi: number, n: number, k: number): void {
    const total = (m: (typeof memoryMethods)[number]) =>
      totalMemory(memoryPerReplica(m, { parameters: psi, workers: n, optimizerBytes: k }));
    const close = (a: number, b: number) =>
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, b));
    close(total("ddp"), (4 + k) * psi);
    close(total("zero-1"), (4 + k / n) * psi);
    close(total("zero-2"), (2 + (2 + k) / n) * psi);
    close(total("zero-3"), ((4 + k) * psi) / n);
    close(total("diloco"), (8 + k) * psi);
    close(total("co2"), (12 + k) * psi);
    close(total("acco"), (6 + k / n) * psi);
    // Each ZeRO stage holds no more than the previous one; with one worker they all equal DDP.
    expect(total("zero-1")).toBeLessThanOrEqual(total("ddp") * (1 + 1e-12));
    expect(total("zero-2")).toBeLessThanOrEqual(total("zero-1") * (1 + 1e-12));
    expect(total("zero-3")).toBeLessThanOrEqual(total("zero-2") * (1 + 1e-12));
  }

  it("equals DDP for every ZeRO stage on one worker, and rejects bad shapes", () => {
    const one = { parameters: 1e6, workers: 1 };
    for (const m of ["zero-1", "zero-2", "zero-3"] as const) {
      expect(memoryPerReplica(m, one)).toEqual(memoryPerReplica("ddp", one));
    }
    expect(() => memoryPerReplica("ddp", { parameters: 1, workers: 0 })).toThrow(RangeError);
    expect(() => memoryPerReplica("ddp", { parameters: Number.NaN, workers: 1 })).toThrow(RangeError);
  });
});
