import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/errors.ts";
import {
  parseBandwidth,
  parseFlopRate,
  parseFlops,
  parseQuantity,
  parseSize,
  parseTime,
  QUANTITY_RANGE,
  type QuantityKind,
  readQuantity,
  unitsOf,
} from "../../sim/scenario/units.ts";

const KINDS: QuantityKind[] = ["bandwidth", "time", "size", "flopRate", "flops"];

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe("units: examples", () => {
  it.each([
    ["10 Gb/s", 1.25e9],
    ["25 GB/s", 2.5e10],
    ["100 Mb/s", 1.25e7],
    ["1 Tb/s", 1.25e11],
    ["400 Gbps", 5e10],
    ["12.5 GiB/s", 12.5 * 2 ** 30],
    ["2 TB/s", 2e12],
    ["1e9", 1e9],
    [3e9, 3e9],
  ])("bandwidth %s", (input, expected) => {
    expect(parseBandwidth(input)).toBe(expected);
  });

  it.each([
    ["5 us", 5e-6],
    ["5 µs", 5e-6],
    ["5 μs", 5e-6],
    ["1.5 ms", 1.5e-3],
    ["2 s", 2],
    ["3 min", 180],
    ["1 h", 3600],
    ["250 ns", 2.5e-7],
    ["2.5e-3 s", 2.5e-3],
    [0.25, 0.25],
  ])("time %s", (input, expected) => {
    expect(parseTime(input)).toBe(expected);
  });

  it.each([
    ["100 MB", 1e8],
    ["1 GiB", 2 ** 30],
    ["4 kB", 4000],
    ["512 B", 512],
    ["1e9", 1e9],
    ["8 Gb", 1e9],
  ])("size %s", (input, expected) => {
    expect(parseSize(input)).toBe(expected);
  });

  it.each([
    ["100 TFLOP/s", 1e14],
    ["312 TFLOPS", 3.12e14],
    ["1.5 PFLOP/s", 1.5e15],
    [5e12, 5e12],
  ])("flop rate %s", (input, expected) => {
    expect(parseFlopRate(input)).toBe(expected);
  });

  it.each([
    ["1.2 GFLOP", 1.2e9],
    ["3 TFLOPs", 3e12],
    ["1e12", 1e12],
  ])("flops %s", (input, expected) => {
    expect(parseFlops(input)).toBe(expected);
  });

  it("reads decimal prefixes exactly: 5 us is the double nearest 5e-6, not 5 · 1e-6", () => {
    expect(parseTime("5 us")).toBe(5e-6);
    expect(parseTime("7 ns")).toBe(7e-9);
  });

  it("keeps rates and counts of FLOPs apart", () => {
    expect(readQuantity("flopRate", "1 TFLOP")).toBeUndefined();
    expect(readQuantity("flops", "1 TFLOP/s")).toBeUndefined();
    expect(readQuantity("flops", "1 TFLOPS")).toBeUndefined();
  });

  it("tells bits from bytes and never reads m as M", () => {
    expect(readQuantity("bandwidth", "10 gb/s")).toBeUndefined();
    expect(readQuantity("bandwidth", "10 mb/s")).toBeUndefined();
    expect(readQuantity("time", "2 S")).toBeUndefined();
  });

  it("accepts zero only where allowed", () => {
    expect(readQuantity("time", "0 s")).toBeUndefined();
    expect(readQuantity("time", "0 s", { allowZero: true })).toBe(0);
    expect(Object.is(readQuantity("time", "-0 s", { allowZero: true }), 0)).toBe(true);
    expect(readQuantity("size", 0, { allowZero: true })).toBe(0);
  });

  it("names the path, the value and the accepted forms in its error", () => {
    expect(() => parseBandwidth("-1 Gb/s", "cluster.network.bandwidth")).toThrowError(
      /^cluster\.network\.bandwidth: got "-1 Gb\/s", expected a positive bandwidth such as "10 Gb\/s"/,
    );
    expect(() => parseTime("soon", "stop.time")).toThrowError(InputError);
  });
});

describe("units: properties", () => {
  const positive = fc.double({ min: 1e-6, max: 1e9, noNaN: true, noDefaultInfinity: true });

  it("reads back any positive number written with any unit of its kind", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        positive,
        fc.constantFrom("", " ", "  "),
        fc.nat(),
        (kind, value, space, pick) => {
          const units = [...unitsOf(kind)];
          const [unit, size] = units[pick % units.length]!;
          const parsed = readQuantity(kind, `${value}${space}${unit}`);
          const { min, max } = QUANTITY_RANGE[kind];
          // Just outside the range, rounding may decide: only values clearly in or out are asserted.
          if (value * size > max * (1 + 1e-12) || value * size < min * (1 - 1e-12)) {
            expect(parsed).toBeUndefined();
            return;
          }
          if (value * size > max * (1 - 1e-12) || value * size < min * (1 + 1e-12)) return;
          expect(parsed).toBeDefined();
          expect(relativeError(parsed!, value * size)).toBeLessThan(1e-12);
        },
      ),
    );
  });

  it("reads a plain number as the base unit, whether a number or a string", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), positive, (kind, value) => {
        const inRange = value >= QUANTITY_RANGE[kind].min && value <= QUANTITY_RANGE[kind].max;
        expect(readQuantity(kind, value)).toBe(inRange ? value : undefined);
        expect(readQuantity(kind, String(value))).toBe(inRange ? value : undefined);
      }),
    );
  });

  it("refuses what float64 cannot run: a latency of 1e308 s, a compute time of 1e-320 s (issue #15)", () => {
    expect(readQuantity("time", 1e308, { allowZero: true })).toBeUndefined();
    expect(readQuantity("time", "1e-320 s")).toBeUndefined();
    expect(readQuantity("bandwidth", "1e-300 b/s")).toBeUndefined();
    for (const kind of KINDS) {
      const { min, max } = QUANTITY_RANGE[kind];
      expect([readQuantity(kind, min), readQuantity(kind, max)]).toEqual([min, max]);
      expect([readQuantity(kind, min / 2), readQuantity(kind, max * 2)]).toEqual([undefined, undefined]);
      expect(() => parseQuantity(kind, max * 2, "f")).toThrowError(/, from .* to .*$/);
    }
  });

  it("refuses negative values, whatever the unit", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), positive, fc.nat(), (kind, value, pick) => {
        const units = [...unitsOf(kind).keys()];
        const unit = units[pick % units.length]!;
        expect(readQuantity(kind, `-${value} ${unit}`, { allowZero: true })).toBeUndefined();
        expect(readQuantity(kind, -value, { allowZero: true })).toBeUndefined();
      }),
    );
  });

  it("refuses a number followed by an unknown unit", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), positive, fc.string({ minLength: 1 }), (kind, value, unit) => {
        fc.pre(unit.trim() !== "" && !unitsOf(kind).has(unit.trim()));
        expect(readQuantity(kind, `${value} ${unit}`)).toBeUndefined();
        expect(() => parseQuantity(kind, `${value} ${unit}`, "field")).toThrowError(InputError);
      }),
    );
  });

  it("refuses strings without a number, and values that are neither numbers nor strings", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.string(), (kind, text) => {
        fc.pre(!/\d/.test(text));
        expect(readQuantity(kind, text)).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.anything(), (kind, value) => {
        fc.pre(typeof value !== "number" && typeof value !== "string");
        expect(() => parseQuantity(kind, value, "field")).toThrowError(InputError);
      }),
    );
  });

  it("on any string at all, either refuses or gives a finite positive number", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.string({ unit: "grapheme" }), (kind, text) => {
        const value = readQuantity(kind, text);
        if (value !== undefined) expect(Number.isFinite(value) && value > 0).toBe(true);
      }),
    );
  });
});
