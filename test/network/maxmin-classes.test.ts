/**
 * The solver on flow classes (an entry standing for `counts[f]` identical uncapped flows) gives every
 * flow of a class the very rate, bit for bit, that the solver gives each of those flows listed one by
 * one, including where rounding and ties between equal shares decide the last bit. This is what lets
 * `FlowNetwork` solve over classes without moving any recorded result.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MaxMinSolver, solveMaxMin } from "../../sim/cluster/network/maxmin.ts";

interface ClassInstance {
  readonly capacity: number[];
  /** Per class: its links, how many flows it stands for, and its cap (+Infinity for most). */
  readonly classes: { route: number[]; count: number; cap: number }[];
}

/** Small integer capacities and thirds (ties, inexact shares), classes of 1..5 flows, a few capped singletons. */
const instance: fc.Arbitrary<ClassInstance> = fc.integer({ min: 1, max: 7 }).chain((links) =>
  fc
    .record({
      capacity: fc.array(
        fc.oneof(fc.integer({ min: 1, max: 10 }), fc.double({ min: 0.3, max: 30, noNaN: true })),
        { minLength: links, maxLength: links },
      ),
      classes: fc.array(
        fc.record({
          route: fc.uniqueArray(fc.integer({ min: 0, max: links - 1 }), {
            minLength: 1,
            maxLength: Math.min(4, links),
          }),
          count: fc.integer({ min: 1, max: 5 }),
          capped: fc.oneof(
            fc.constant(0),
            fc.constant(0),
            fc.constant(0),
            fc.double({ min: 0.2, max: 8, noNaN: true }),
          ),
        }),
        { minLength: 1, maxLength: 10 },
      ),
    })
    .map(({ capacity, classes }) => ({
      capacity,
      // A capped flow is a class of its own, as FlowClasses makes it.
      classes: classes.map(({ route, count, capped }) =>
        capped > 0 ? { route, count: 1, cap: capped } : { route, count, cap: Number.POSITIVE_INFINITY },
      ),
    })),
);

function solveClasses({ capacity, classes }: ClassInstance): Float64Array {
  const routeStart = new Int32Array(classes.length + 1);
  classes.forEach((c, i) => {
    routeStart[i + 1] = routeStart[i]! + c.route.length;
  });
  const routeLinks = Int32Array.from(classes.flatMap((c) => c.route));
  const rates = new Float64Array(classes.length);
  new MaxMinSolver().solve(
    capacity.length,
    capacity,
    classes.length,
    routeStart,
    routeLinks,
    Float64Array.from(classes, (c) => c.cap),
    rates,
    Int32Array.from(classes, (c) => c.count),
  );
  return rates;
}

describe("MaxMinSolver on flow classes", () => {
  it("gives each flow of a class the bit-identical rate of the flows solved one by one", () => {
    fc.assert(
      fc.property(instance, (inst) => {
        const byClass = solveClasses(inst);
        const routes = inst.classes.flatMap((c) => Array.from({ length: c.count }, () => c.route));
        const caps = inst.classes.flatMap((c) => Array.from({ length: c.count }, () => c.cap));
        const byFlow = solveMaxMin(inst.capacity, routes, caps);
        const expanded = inst.classes.flatMap((c, i) => Array.from({ length: c.count }, () => byClass[i]!));
        expect(expanded).toEqual(Array.from(byFlow));
      }),
      { seed: 1414, numRuns: 3000 },
    );
  });

  it("weighs a class by its size on a shared link", () => {
    // 3 flows in one class and 1 alone share link 0 (capacity 8): 2 each; the lone flow's other link
    // (capacity 1) holds it to 1, and the class takes the 7 left: 7/3 each.
    const rates = solveClasses({
      capacity: [8, 1],
      classes: [
        { route: [0], count: 3, cap: Number.POSITIVE_INFINITY },
        { route: [0, 1], count: 1, cap: Number.POSITIVE_INFINITY },
      ],
    });
    expect(Array.from(rates)).toEqual([7 / 3, 1]);
  });
});
