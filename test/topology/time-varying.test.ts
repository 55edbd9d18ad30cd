import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { completeGraph, ringGraph, starGraph } from "../../sim/cluster/topology/classic-graphs.ts";
import {
  graphAt,
  graphIndexAt,
  nextSwitchTime,
  switchesBy,
  timeVaryingGraph,
} from "../../sim/cluster/topology/time-varying.ts";
import { InputError } from "../../sim/errors.ts";
import { PROPERTY } from "./graph-checks.ts";

describe("time-varying graphs", () => {
  const graphs = [ringGraph(6), starGraph(6), completeGraph(6)];

  it("cycles through the graphs, each holding for one period", () => {
    const tv = timeVaryingGraph(graphs, 0.5);
    expect([0, 0.49, 0.5, 0.99, 1, 1.49, 1.5, 2.2].map((t) => graphIndexAt(tv, t))).toEqual([
      0, 0, 1, 1, 2, 2, 0, 1,
    ]);
    expect(graphAt(tv, 1.2)).toBe(graphs[2]);
  });

  it("switches exactly at nextSwitchTime, also where t / period rounds below an integer", () => {
    // (43 · 0.1) / 0.1 = 42.99999999999999: a plain floor would still show the old graph there.
    const tv = timeVaryingGraph(graphs, 0.1);
    expect(switchesBy(tv, 43 * 0.1)).toBe(43);
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        (period, t) => {
          const seq = timeVaryingGraph(graphs, period);
          const next = nextSwitchTime(seq, t);
          expect(next).toBeGreaterThan(t);
          expect(switchesBy(seq, next)).toBe(switchesBy(seq, t) + 1);
          // Nothing switches strictly between t and next: the instant before next still has the old count.
          const before = next - next * Number.EPSILON;
          if (before >= t) expect(switchesBy(seq, before)).toBe(switchesBy(seq, t));
        },
      ),
      PROPERTY,
    );
  });

  it("rejects an empty list, a mismatched worker count and a non-positive period", () => {
    expect(() => timeVaryingGraph([], 1, "t")).toThrow("t.graphs: got [], expected at least one graph");
    expect(() => timeVaryingGraph([ringGraph(6), ringGraph(7)], 1, "t")).toThrow(
      't.graphs[1]: got "7 workers", expected the same 6 workers as graphs[0]',
    );
    expect(() => timeVaryingGraph(graphs, 0, "t")).toThrow(
      "t.period: got 0, expected a positive number of seconds",
    );
    expect(() => timeVaryingGraph(graphs, Number.POSITIVE_INFINITY, "t")).toThrow(InputError);
    expect(() => graphAt(timeVaryingGraph(graphs, 1), -1)).toThrow(RangeError);
  });
});
