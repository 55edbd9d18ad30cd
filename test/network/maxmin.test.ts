import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MaxMinSolver, solveMaxMin } from "../../sim/cluster/network/maxmin.ts";
import { close } from "./helpers.ts";

const TOL = 1e-9;

interface Instance {
  readonly capacity: number[];
  readonly routes: number[][];
  readonly caps: number[];
}

/** Random links (some with small integer capacities, to force ties) and flows of 1..4 distinct links. */
const instance: fc.Arbitrary<Instance> = fc.integer({ min: 1, max: 8 }).chain((links) =>
  fc.record({
    capacity: fc.array(
      fc.oneof(fc.integer({ min: 1, max: 4 }), fc.double({ min: 0.5, max: 100, noNaN: true })),
      { minLength: links, maxLength: links },
    ),
    routes: fc.array(
      fc.uniqueArray(fc.integer({ min: 0, max: links - 1 }), { minLength: 1, maxLength: Math.min(4, links) }),
      { maxLength: 12 },
    ),
    caps: fc.array(
      fc.oneof(
        fc.constant(Number.POSITIVE_INFINITY),
        fc.constant(Number.POSITIVE_INFINITY),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
      ),
      { minLength: 12, maxLength: 12 },
    ),
  }),
);

function loads(capacity: number[], routes: number[][], rates: ArrayLike<number>): number[] {
  const load = capacity.map(() => 0);
  routes.forEach((route, f) => {
    for (const l of route) load[l]! += rates[f]!;
  });
  return load;
}

/**
 * Reference progressive filling, written for clarity rather than speed: each round recomputes every
 * link's fair share from scratch and freezes every flow of every constraint that binds at the round's
 * level.
 */
function referenceMaxMin(capacity: number[], routes: number[][], caps: number[]): number[] {
  const rates = routes.map(() => 0);
  const frozen = routes.map(() => false);
  for (;;) {
    const open = routes.map((_, f) => f).filter((f) => !frozen[f]);
    if (open.length === 0) return rates;
    const shares = capacity.map((c, l) => {
      let used = c;
      let count = 0;
      routes.forEach((route, f) => {
        for (const m of route) {
          if (m !== l) continue;
          if (frozen[f]) used -= rates[f]!;
          else count++;
        }
      });
      return count > 0 ? Math.max(used, 0) / count : Number.POSITIVE_INFINITY;
    });
    let level = Math.min(...shares);
    for (const f of open) level = Math.min(level, caps[f]!);
    const binds = (x: number) => x <= level * (1 + 1e-12);
    for (const f of open) {
      if (binds(caps[f]!) || routes[f]!.some((l) => binds(shares[l]!))) {
        rates[f] = Math.min(level, caps[f]!);
        frozen[f] = true;
      }
    }
  }
}

describe("max-min solver", () => {
  it("splits one link evenly and gives the rest to the unconstrained flow (textbook parking lot)", () => {
    // Links 0 and 1, capacity 1 each; flow 0 crosses both, flows 1 and 2 one each.
    const rates = solveMaxMin([1, 1], [[0, 1], [0], [1]]);
    expect(Array.from(rates)).toEqual([0.5, 0.5, 0.5]);
    // Link 1 now has capacity 3: flow 0 is still held at 1/2 by link 0, flow 2 takes the rest.
    expect(Array.from(solveMaxMin([1, 3], [[0, 1], [0], [1]]))).toEqual([0.5, 0.5, 2.5]);
  });

  it("gives a capped flow its cap and the leftover to the others", () => {
    expect(Array.from(solveMaxMin([10], [[0], [0], [0]], [1, Infinity, Infinity]))).toEqual([1, 4.5, 4.5]);
  });

  it("counts a link crossed twice twice", () => {
    expect(Array.from(solveMaxMin([10], [[0, 0]]))).toEqual([5]);
  });

  it("leaves a flow with no link and no cap unbounded", () => {
    expect(Array.from(solveMaxMin([1], [[], [0]]))).toEqual([Number.POSITIVE_INFINITY, 1]);
  });

  it("never loads a link above its capacity, and every flow is bottlenecked", () => {
    fc.assert(
      fc.property(instance, ({ capacity, routes, caps }) => {
        const flowCaps = routes.map((_, f) => caps[f]!);
        const rates = solveMaxMin(capacity, routes, flowCaps);
        const load = loads(capacity, routes, rates);
        load.forEach((x, l) => {
          expect(x).toBeLessThanOrEqual(capacity[l]! * (1 + TOL));
        });
        routes.forEach((route, f) => {
          const rate = rates[f]!;
          expect(rate).toBeGreaterThan(0);
          expect(rate).toBeLessThanOrEqual(flowCaps[f]! * (1 + TOL));
          if (rate >= flowCaps[f]! * (1 - TOL)) return; // held by its own cap
          const bottleneck = route.some((l) => {
            if (load[l]! < capacity[l]! * (1 - TOL)) return false;
            let fastest = 0;
            routes.forEach((other, g) => {
              if (other.includes(l)) fastest = Math.max(fastest, rates[g]!);
            });
            return rate >= fastest * (1 - TOL);
          });
          expect(bottleneck, `flow ${f} (rate ${rate}) has no bottleneck`).toBe(true);
        });
      }),
      { seed: 20240611, numRuns: 1000 },
    );
  });

  it("agrees with a from-scratch reference implementation", () => {
    fc.assert(
      fc.property(instance, ({ capacity, routes, caps }) => {
        const flowCaps = routes.map((_, f) => caps[f]!);
        const rates = solveMaxMin(capacity, routes, flowCaps);
        const expected = referenceMaxMin(capacity, routes, flowCaps);
        expected.forEach((x, f) => {
          expect(close(rates[f]!, x, TOL), `flow ${f}: ${rates[f]} vs ${x}`).toBe(true);
        });
      }),
      { seed: 7, numRuns: 1000 },
    );
  });

  it("gives the same answer when one solver is reused across instances of varying size", () => {
    const shared = new MaxMinSolver();
    fc.assert(
      fc.property(instance, ({ capacity, routes, caps }) => {
        const flowCaps = Float64Array.from(routes, (_, f) => caps[f]!);
        const routeStart = new Int32Array(routes.length + 1);
        routes.forEach((r, f) => {
          routeStart[f + 1] = routeStart[f]! + r.length;
        });
        const routeLinks = Int32Array.from(routes.flat());
        const rates = new Float64Array(routes.length);
        shared.solve(capacity.length, capacity, routes.length, routeStart, routeLinks, flowCaps, rates);
        expect(Array.from(rates)).toEqual(Array.from(solveMaxMin(capacity, routes, flowCaps)));
      }),
      { seed: 99, numRuns: 300 },
    );
  });
});
