import { describe, expect, it } from "vitest";
import { completeGraph, ringGraph, starGraph } from "../../../sim/cluster/topology/classic-graphs.ts";
import { gossipGraphOf } from "../../../sim/cluster/topology/gossip-graph.ts";
import { graphFromEdges } from "../../../sim/cluster/topology/graph.ts";
import { exponentialGraph, gossipConstants, timeVaryingGraph } from "../../../sim/cluster/topology/index.ts";
import { chiConstants, runConstants } from "../../../sim/schedules/a2cid2/rates.ts";
import { a2cid2State } from "../../../sim/schedules/a2cid2.ts";
import { edgePlan, isCodeExponentialGraph } from "../../../sim/schedules/edge-plans.ts";

/** Within half a unit of the last printed digit of a table entry. */
function expectPrinted(actual: number, printed: string): void {
  const decimals = printed.split(".")[1]?.length ?? 0;
  expect(Math.abs(actual - Number(printed))).toBeLessThanOrEqual(0.5 * 10 ** -decimals * (1 + 1e-9));
}

describe("A²CiD² constants of a run (a2cid2/rates.ts)", () => {
  // Reference §3.6 (the code's compute_acid_constants on its cycle and exponential graphs).
  it.each([
    ["ring", 8, 1, "0.2893", "0.988"],
    ["ring", 16, 1, "0.1425", "1.872"],
    ["ring", 32, 1, "0.0704", "3.665"],
    ["ring", 64, 1, "0.03497", "7.262"],
    ["ring", 64, 2, "0.06994", "7.262"],
    ["exponential", 16, 1, "0.3519", "0.704"],
    ["exponential", 32, 1, "0.3127", "0.782"],
    ["exponential", 64, 1, "0.2853", "0.856"],
  ])("%s of %i at rate %d: η = %s, α̃ = %s (reference §3.6)", (kind, n, rate, eta, alphaTilde) => {
    const g = kind === "ring" ? ringGraph(n) : exponentialGraph(n);
    const c = runConstants(gossipGraphOf(g), rate, {});
    expectPrinted(c.eta, eta);
    expectPrinted(c.alphaTilde, alphaTilde);
    expect(c.alpha).toBe(0.5);
  });

  it("complete graph: χ1 = χ2, so α̃ = ½ and η = n·r/(2(n − 1)) (no acceleration)", () => {
    for (const [n, r] of [
      [8, 1],
      [32, 2],
    ] as const) {
      const c = runConstants(gossipGraphOf(completeGraph(n)), r, {});
      expect(c.alphaTilde).toBeCloseTo(0.5, 12);
      expect(c.eta).toBeCloseTo((n * r) / (2 * (n - 1)), 12);
    }
  });

  it("the code's exponential graph is recognised, and only it (n ≤ 5 reads as complete or ring)", () => {
    expect(isCodeExponentialGraph(exponentialGraph(8))).toBe(true);
    expect(isCodeExponentialGraph(exponentialGraph(6))).toBe(true);
    expect(isCodeExponentialGraph(exponentialGraph(12))).toBe(true);
    expect(isCodeExponentialGraph(exponentialGraph(4))).toBe(false); // = complete graph of 4
    expect(isCodeExponentialGraph(exponentialGraph(5))).toBe(false); // = complete graph of 5
    expect(isCodeExponentialGraph(ringGraph(16))).toBe(false);
    expect(isCodeExponentialGraph(completeGraph(8))).toBe(false);
    // Same degree as the exponential graph of 8 (3 distinct gaps), other edges.
    const impostor = graphFromEdges(
      8,
      Array.from({ length: 8 }, (_, i) => [
        [i, (i + 1) % 8],
        [i, (i + 3) % 8],
      ]).flat() as [number, number][],
    );
    expect(isCodeExponentialGraph(impostor)).toBe(false);
  });

  it("every worker of a regular graph takes part in `rate` exchanges per gradient", () => {
    for (const g of [ringGraph(10), exponentialGraph(16), completeGraph(7)]) {
      const plan = edgePlan(g, 1.5);
      for (const r of plan.workerRates) expect(r).toBeCloseTo(1.5, 12);
      expect(plan.totalRate).toBeCloseTo((g.n * 1.5) / 2, 12);
    }
    // The exponential graph of 16: neighbour list ±1, ±2, ±4, ±8 (8 entries, +8 = −8), so the ±8 edge
    // is at 2/8 per gradient and the others at 1/8.
    const plan = edgePlan(exponentialGraph(16), 1);
    expect(plan.uniform).toBe(false);
    expect(new Set(plan.edgeRates)).toEqual(new Set([1 / 8, 2 / 8]));
  });

  it("scenario overrides replace the computed η and α̃ (each alone, or both without any spectra)", () => {
    const ring = gossipGraphOf(ringGraph(16));
    const computed = runConstants(ring, 1, {});
    expect(runConstants(ring, 1, { eta: 0.3 })).toEqual({ ...computed, eta: 0.3 });
    expect(runConstants(ring, 1, { alphaTilde: 2 })).toEqual({ ...computed, alphaTilde: 2 });
    // 3000 workers of a non-circulant graph: too large for the dense χ's, fine with both given.
    const big = gossipGraphOf(starGraph(3000));
    expect(() => runConstants(big, 1, {})).toThrow(/at most 2048 workers/);
    expect(runConstants(big, 1, { eta: 0.1, alphaTilde: 0.7 })).toEqual({
      eta: 0.1,
      alphaTilde: 0.7,
      alpha: 0.5,
    });
  });

  it("time-varying graphs: the worst case over the sequence, or the time average when one is disconnected", () => {
    const ring = ringGraph(8);
    const exp = exponentialGraph(8);
    const tv = gossipGraphOf(timeVaryingGraph([ring, exp], 1));
    const worst = chiConstants(tv, 1);
    const a = gossipConstants(ring, 1);
    expect(worst.basis).toBe("worst-case");
    expect(worst.chi1).toBeCloseTo(a.chi1, 12); // the ring is the worse of the two for both χ's
    expect(worst.chi2).toBeCloseTo(Math.max(a.chi2, chiConstants(gossipGraphOf(exp), 1).chi2), 12);

    // Two perfect matchings of a ring of 4, each disconnected, each edge at rate 1 (every worker in one
    // exchange per gradient): their average is the ring with every edge at ½, i.e. at rate 1.
    const even = graphFromEdges(4, [
      [0, 1],
      [2, 3],
    ]);
    const odd = graphFromEdges(4, [
      [1, 2],
      [3, 0],
    ]);
    const averaged = chiConstants(gossipGraphOf(timeVaryingGraph([even, odd], 1)), 1);
    const ringHalf = gossipConstants(ringGraph(4), 1);
    expect(averaged.basis).toBe("time-average");
    expect(averaged.chi1).toBeCloseTo(ringHalf.chi1, 12);
    expect(averaged.chi2).toBeCloseTo(ringHalf.chi2, 12);
  });

  it("state: x, x̃, g, and the momentum buffer only with momentum", () => {
    const names = (momentum: number) =>
      a2cid2State({ sgd: { lr: 0.1, momentum, weightDecay: 0 } }).map((v) => `${v.name}:${v.category}`);
    expect(names(0)).toEqual(["x:parameters", "xTilde:optimizerState", "g:gradients"]);
    expect(names(0.9)).toEqual([
      "x:parameters",
      "xTilde:optimizerState",
      "g:gradients",
      "momentum:optimizerState",
    ]);
  });
});
