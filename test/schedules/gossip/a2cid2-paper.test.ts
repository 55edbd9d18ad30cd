import { describe, expect, it } from "vitest";
import { decodeWith, loadPaper, meanFrom, optimalLoss, runWith } from "./scenarios.ts";

/**
 * The paper's outcomes (reference §3.1, §3.7, §7 item 4) on the two scenarios of scenarios/papers, as
 * shipped (32 workers, 300 gradients each: 0.1–0.2 s a run). Each seed draws its own data and clocks;
 * within a seed all three runs share the data, and A²CiD² and gossip at rate 1 share the gradient and
 * edge clocks (same random streams), so the comparisons are paired. The compared quantities are the
 * averages over the second half of the run (t ∈ [150, 300], 51 samples, the stationary regime) of
 * the consensus distance (1/n)Σ‖x_i − x̄‖² and of the excess loss f(x̄) − f(x*).
 */

interface Outcome {
  readonly consensus: number;
  readonly excessLoss: number;
}

function outcome(file: string, seed: number, sets: readonly string[]): Outcome {
  const raw = loadPaper(file);
  const all = [`seed=${seed}`, ...sets];
  const fStar = optimalLoss(decodeWith(raw, all));
  const { series, simTime } = runWith(raw, all);
  const s = series!;
  return {
    consensus: meanFrom(s.t, s.consensus!, simTime / 2),
    excessLoss: meanFrom(s.t, s.loss!, simTime / 2) - fStar,
  };
}

const average = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe("paper outcomes", () => {
  it("ring of 32: A²CiD² at rate 1 beats gossip at rate 1 and at least matches gossip at rate 2", () => {
    const seeds = [1, 2, 3, 4, 5, 6];
    const a2cid2 = seeds.map((s) => outcome("a2cid2-ring.yaml", s, []));
    const gossip1 = seeds.map((s) => outcome("a2cid2-ring.yaml", s, ["schedule.kind=gossip"]));
    const gossip2 = seeds.map((s) =>
      outcome("a2cid2-ring.yaml", s, ["schedule.kind=gossip", "schedule.rate=2"]),
    );
    // Every seed: lower consensus distance and excess loss than gossip at the same rate.
    seeds.forEach((_, k) => {
      expect(a2cid2[k]!.consensus).toBeLessThan(gossip1[k]!.consensus);
      expect(a2cid2[k]!.excessLoss).toBeLessThan(gossip1[k]!.excessLoss);
    });
    const c = (o: Outcome[]) => average(o.map((x) => x.consensus));
    const l = (o: Outcome[]) => average(o.map((x) => x.excessLoss));
    // Measured (seeds 1–6): consensus 0.645 vs 1.364 (rate 1) vs 0.870 (rate 2); excess loss 0.066 vs
    // 0.173 vs 0.109. Per-seed consensus ratios are 0.44–0.52 against rate 1 and 0.70–0.75 against
    // rate 2, so the bounds below hold with room to spare, yet fail if A²CiD² were only gossip (ratio 1)
    // or only a little better. Excess-loss ratios vary more from seed to seed (0.56–0.99 against rate
    // 2), hence the claim on averages only.
    expect(c(a2cid2) / c(gossip1)).toBeLessThan(0.6);
    expect(l(a2cid2) / l(gossip1)).toBeLessThan(0.7);
    expect(c(a2cid2) / c(gossip2)).toBeLessThan(0.9);
    expect(l(a2cid2)).toBeLessThanOrEqual(l(gossip2));
  });

  it("complete graph of 32: no gain — A²CiD² at rate 1 is gossip at rate 1, below gossip at rate 2", () => {
    for (const seed of [1, 2, 3]) {
      const raw = loadPaper("a2cid2-complete.yaml");
      const a = runWith(raw, [`seed=${seed}`]).series!;
      const g = runWith(raw, [`seed=${seed}`, "schedule.kind=gossip"]).series!;
      // α̃ = ½ and x̃(0) = x(0) keep x̃ = x, so the mixing is the identity and A²CiD² is gossip; with
      // shared clocks the curves coincide up to float32 rounding (measured: 2e-7 relative at most).
      expect(a.t).toEqual(g.t);
      a.t.forEach((t, k) => {
        if (t === 0) return;
        expect(Math.abs(a.consensus![k]! / g.consensus![k]! - 1)).toBeLessThan(1e-5);
        expect(Math.abs(a.loss![k]! / g.loss![k]! - 1)).toBeLessThan(1e-5);
      });
      // Doubling the rate does help here (measured ≈ 0.42× the consensus): A²CiD² is no substitute.
      const g2 = outcome("a2cid2-complete.yaml", seed, ["schedule.kind=gossip", "schedule.rate=2"]);
      const a1 = outcome("a2cid2-complete.yaml", seed, []);
      expect(g2.consensus).toBeLessThan(0.6 * a1.consensus);
    }
  });
});
