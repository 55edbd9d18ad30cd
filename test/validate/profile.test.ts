import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CalibrationProfile,
  decodeProfile,
  exchangeStretch,
  fitGradients,
  machineDevice,
  machineExchanges,
  slowdownFor,
} from "../../sim/calibration/profile.ts";
import { InputError } from "../../sim/errors.ts";

const profile: CalibrationProfile = {
  format: "dtsim-calibration/1",
  measuredAt: "2026-11-22T00:00:00Z",
  machine: { cpu: "test", cores: 2, memory: 24e9, node: "v20" },
  compute: { kind: "webgpu", adapter: "llvmpipe" },
  kernels: [{ kernel: "matmul", size: 1024, seconds: 0.5, rate: 4e9, unit: "FLOP/s" }],
  gradients: [],
  fits: {
    mlp: { efficiency: 0.5, launchOverhead: 2e-4 },
    logistic: { efficiency: 0.01, launchOverhead: 1e-4 },
  },
  concurrency: [
    { problem: "mlp", workers: 1, slowdown: 1 },
    { problem: "mlp", workers: 4, slowdown: 2 },
    { problem: "logistic", workers: 4, slowdown: 3 },
  ],
  device: { peakFlops: 4e9, memoryBandwidth: 1e10, memory: 2e10 },
};

describe("fitGradients", () => {
  it("recovers overhead and rate from exact measurements", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e-2, noNaN: true }),
        fc.double({ min: 1e-3, max: 1, noNaN: true }),
        (overhead, efficiency) => {
          const peak = 1e9;
          const ms = [1e6, 4e6, 1.6e7].map((flops) => ({
            flops,
            seconds: overhead + flops / (efficiency * peak),
          }));
          const fit = fitGradients(ms, peak);
          expect(fit.launchOverhead).toBeCloseTo(overhead, 9);
          expect(fit.efficiency / efficiency).toBeCloseTo(1, 6);
        },
      ),
    );
  });

  it("falls back to a pure rate with a single measurement", () => {
    expect(fitGradients([{ flops: 1e6, seconds: 1e-3 }], 1e9)).toEqual({ efficiency: 1, launchOverhead: 0 });
  });
});

describe("machineDevice", () => {
  it("uses the problem kind's fit, stretched by the slowdown of that many workers", () => {
    expect(slowdownFor(profile, 8)).toBe(2);
    expect(slowdownFor(profile, 2)).toBe(1);
    expect(slowdownFor(profile, 4, "logistic")).toBe(3);
    expect(slowdownFor(profile, 4, "quadratic")).toBe(2);
    const d = machineDevice(profile, "mlp", 4);
    expect(d.efficiency).toBeCloseTo(0.25);
    expect(d.launchOverhead).toBeCloseTo(4e-4);
    expect(machineDevice(profile, "logistic", 1).efficiency).toBeCloseTo(0.01);
    expect(machineDevice(profile, "logistic", 4).launchOverhead).toBeCloseTo(3e-4);
  });

  it("shares the host's measured optimizer-step rate among the workers, else uses the device's bandwidth", () => {
    expect(machineDevice(profile, "mlp", 4).memoryBandwidth).toBe(1e10);
    const hostStep = { optimizer: "adamw", parameters: 65536, seconds: 1e-3, bytesPerSecond: 2e9 };
    const measured = { ...profile, hostStep };
    expect(machineDevice(measured, "mlp", 1).memoryBandwidth).toBe(2e9);
    expect(machineDevice(measured, "mlp", 4).memoryBandwidth).toBe(5e8);
    expect(decodeProfile(JSON.parse(JSON.stringify(measured)), "p.json").hostStep).toEqual(hostStep);
  });

  it("turns a rate above the peak into the peak, never an efficiency above 1", () => {
    const fast = { ...profile, fits: { cpu: { efficiency: 3, launchOverhead: 0 } } };
    const d = machineDevice(fast, "cpu", 1);
    expect(d.efficiency).toBe(1);
    expect(d.peakFlops).toBeCloseTo(1.2e10);
  });
});

describe("the exchange side of this machine", () => {
  it("reads the measured moves for that many workers, and nothing from a profile that lacks them", () => {
    expect(machineExchanges(profile, 8, "mlp")).toBeUndefined();
    const measured = {
      ...profile,
      concurrency: [
        {
          problem: "mlp",
          workers: 2,
          slowdown: 1.5,
          exchangesPerSecond: 4000,
          exchangeSeconds: 2e-3,
          exchangeBytes: 2000,
        },
        {
          problem: "mlp",
          workers: 4,
          slowdown: 2,
          exchangesPerSecond: 3000,
          exchangeSeconds: 5e-3,
          exchangeBytes: 2000,
        },
      ],
    };
    expect(machineExchanges(measured, 8, "mlp")).toEqual({
      exchangesPerSecond: 3000,
      exchangeSeconds: 5e-3,
      exchangeBytes: 2000,
    });
    expect(machineExchanges(measured, 3, "mlp")?.exchangesPerSecond).toBe(4000);
  });

  it("adds the moves' CPU time to the gradients' (processor sharing)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        fc.integer({ min: 1, max: 64 }),
        fc.double({ min: 10, max: 1e5, noNaN: true }),
        (t, rho, k, x) => {
          // k workers each doing 1/(t·s) gradients/s and ρ times as many moves use exactly the CPU
          // that k/t gradients/s alone or x moves/s alone use: (k/(t·s))·(t/k) + (ρk/(t·s))/x = 1.
          const s = exchangeStretch(t, rho, k, x);
          expect(1 / s + (rho * k) / (t * s) / x).toBeCloseTo(1, 9);
          expect(s).toBeGreaterThanOrEqual(1);
        },
      ),
    );
    expect(exchangeStretch(0.005, 0, 8, 1000)).toBe(1);
  });
});

describe("decodeProfile", () => {
  it("round-trips a profile through JSON", () => {
    expect(decodeProfile(JSON.parse(JSON.stringify(profile)), "p.json")).toEqual(profile);
  });
  it("names the file and the field of a bad profile in one line", () => {
    const bad = { ...profile, device: { ...profile.device, peakFlops: -1 } };
    expect(() => decodeProfile(bad, "p.json")).toThrow(InputError);
    expect(() => decodeProfile(bad, "p.json")).toThrow(/p\.json: device\.peakFlops/);
    expect(() => decodeProfile({ hello: 1 }, "p.json")).toThrow(/p\.json/);
  });
});
