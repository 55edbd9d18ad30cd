import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closest, didYouMean, editDistance } from "../../sim/scenario/suggest.ts";

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("workers", "wrkers")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("is a metric: zero only on equal strings, symmetric, triangle inequality", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
      }),
    );
  });
});

describe("closest", () => {
  it("suggests near misses and nothing for unrelated words", () => {
    expect(closest("wrkers", ["workers", "topology"])).toBe("workers");
    expect(closest("Bandwith", ["bandwidth", "latency"])).toBe("bandwidth");
    expect(closest("zzz", ["workers", "topology"])).toBeUndefined();
    expect(didYouMean("rung", ["ring", "torus"])).toBe(' (did you mean "ring"?)');
    expect(didYouMean("zzz", ["ring"])).toBe("");
  });
});
