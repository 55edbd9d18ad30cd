import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { LinkLoad, niceCeil } from "../../sim/metrics/link-load.ts";

/**
 * The adaptive link histogram: whatever coarsening happened on the way, it ends equal to binning every
 * transfer directly at the final width, and it holds every byte.
 */

const LINKS = 3;
const BINS = 16;

const transfer = fc.record({
  route: fc.uniqueArray(fc.integer({ min: 0, max: LINKS - 1 }), { minLength: 1, maxLength: LINKS }),
  duration: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 5, noNaN: true })),
  gap: fc.double({ min: 0, max: 3, noNaN: true }),
  bytes: fc.double({ min: 1, max: 1e9, noNaN: true }),
});

describe("LinkLoad", () => {
  test.prop([fc.array(transfer, { minLength: 1, maxLength: 60 })])(
    "equals direct binning at its final width",
    (transfers) => {
      const load = new LinkLoad(LINKS, BINS);
      const added: Array<{ route: number[]; start: number; end: number; bytes: number }> = [];
      let clock = 0;
      for (const { route, duration, gap, bytes } of transfers) {
        // Completions come in time order; starts anywhere before.
        clock += gap;
        const end = clock + duration;
        const start = Math.max(0, clock - duration);
        load.add(route, start, end, bytes);
        added.push({ route, start, end, bytes });
      }
      const width = load.width;
      expect(clock + 5).toBeGreaterThan(0);
      for (let link = 0; link < LINKS; link++) {
        const expected = new Float64Array(BINS);
        let total = 0;
        for (const { route, start, end, bytes } of added) {
          if (!route.includes(link)) continue;
          total += bytes;
          if (end === start) {
            expected[Math.min(BINS - 1, Math.floor(start / width))]! += bytes;
            continue;
          }
          for (let k = 0; k < BINS; k++) {
            const overlap = Math.min(end, (k + 1) * width) - Math.max(start, k * width);
            if (overlap > 0) expected[k]! += (bytes * overlap) / (end - start);
          }
        }
        const actual = load.binsOf(link);
        const sum = actual.reduce((a, b) => a + b, 0);
        expect(Math.abs(sum - total)).toBeLessThanOrEqual(1e-9 * total);
        for (let k = 0; k < BINS; k++) {
          expect(Math.abs(actual[k]! - expected[k]!)).toBeLessThanOrEqual(1e-9 * total + 1e-9);
        }
      }
      // The last completion lies in the second half of the grid or the grid never widened.
      const last = added.at(-1)!.end;
      expect(last).toBeLessThan(BINS * width);
    },
  );

  it("niceCeil rounds up to 1, 2 or 5 times a power of ten", () => {
    expect([0.3, 0.02, 0.021, 7, 1e-9, 50].map(niceCeil)).toEqual([0.5, 0.02, 0.05, 10, 1e-9, 50]);
  });
});
