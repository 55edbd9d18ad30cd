import { beforeAll, describe, expect, it } from "vitest";
import { ringGraph } from "../../../sim/cluster/topology/classic-graphs.ts";
import { gossipGraphOf } from "../../../sim/cluster/topology/gossip-graph.ts";
import type { Graph } from "../../../sim/cluster/topology/graph.ts";
import {
  denseLaplacian,
  type EdgeRates,
  exponentialEdgeRates,
  exponentialGraph,
  gossipConstants,
  uniformGossipRate,
} from "../../../sim/cluster/topology/index.ts";
import { RandomStreams } from "../../../sim/engine/index.ts";
import { runConstants } from "../../../sim/schedules/a2cid2/rates.ts";
import { type A2cid2Params, a2cid2 } from "../../../sim/schedules/a2cid2.ts";
import { type GossipParams, gossip } from "../../../sim/schedules/gossip.ts";
import { type A2cid2Constants, A2cid2MeanPropagator } from "../../../sim/schedules/math/a2cid2.ts";
import { columnStats, type TheoryRun, theoryRun } from "./harness.ts";
import { a2cid2Moments, expectedConsensus, gossipJumps, secondMoments } from "./moments.ts";

/**
 * A²CiD² in theory mode with zero gradients (a test double problem): the mixing ODE and the exchanges
 * alone, against the exact first and second moments of reference §6.3.
 */

const sgd = { lr: 0.1, momentum: 0, weightDecay: 0 };
const params = (variant: "theory" | "code" = "theory"): A2cid2Params => ({
  rate: 1,
  sgd,
  pairing: "poisson",
  variant,
});
const gossipParams: GossipParams = { rate: 1, sgd };

function normals(count: number, seed: number): number[] {
  const rng = new RandomStreams(seed).stream("initial");
  return Array.from({ length: count }, () => rng.normal());
}

function edgesOf(g: Graph, rates: EdgeRates): [number, number, number][] {
  return Array.from(g.edgeU, (u, e) => [u, g.edgeV[e]!, typeof rates === "number" ? rates : rates[e]!]);
}

function consensusOf(run: TheoryRun, n: number): number {
  const x = Array.from({ length: n }, (_, w) => run.model(w)[0]!);
  const mean = x.reduce((a, b) => a + b, 0) / n;
  return x.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
}

/** Ordinary least-squares slope of y on t. */
function slope(t: readonly number[], y: readonly number[]): number {
  const tm = t.reduce((a, b) => a + b, 0) / t.length;
  const ym = y.reduce((a, b) => a + b, 0) / y.length;
  let stt = 0;
  let sty = 0;
  t.forEach((ti, k) => {
    stt += (ti - tm) ** 2;
    sty += (ti - tm) * (y[k]! - ym);
  });
  return sty / stt;
}

describe("A²CiD², theory mode, no gradients", () => {
  it.each([
    ["ring", ringGraph(16)],
    ["exponential (code rates)", exponentialGraph(16)],
  ])("Σ_i (x_i + x̃_i) is conserved at every sample (%s, theory variant)", (_, g) => {
    const n = g.n;
    const x0 = normals(n, 3);
    const run = theoryRun({
      definition: a2cid2,
      params: params(),
      graph: g,
      seed: 5,
      dimension: 1,
      initial: (w) => [x0[w]!],
    });
    // x̃(0) = x(0): the invariant starts at 2·Σx(0).
    const sumX0 = x0.reduce((a, b) => a + b, 0);
    let worst = 0;
    let worstX = 0;
    let moved = 0;
    for (let t = 0.5; t <= 60; t += 0.5) {
      run.advance(t);
      let total = 0;
      let sumX = 0;
      for (let w = 0; w < n; w++) {
        const own = run.read(w, "x")[0]! + run.read(w, "xTilde")[0]!;
        total += own;
        sumX += run.model(w)[0]!;
        moved = Math.max(moved, Math.abs(own - 2 * x0[w]!));
      }
      worst = Math.max(worst, Math.abs(total - 2 * sumX0));
      worstX = Math.max(worstX, Math.abs(sumX - sumX0));
    }
    // Float32 storage, values O(1), ~500 exchanges and ~1000 mixings: rounding only.
    expect(worst).toBeLessThan(1e-4);
    // Stronger, since Σ(x̃ − x) starts at 0 and neither the mixing nor the antisymmetric kicks change
    // it: Σx alone (hence Σx̃) is conserved too, as for applyA2cid2Pair.
    expect(worstX).toBeLessThan(1e-4);
    // Not vacuous: each worker's own x_i + x̃_i moves (the kicks move x̃ between workers).
    expect(moved).toBeGreaterThan(0.1);
    expect(run.count("exchanges").reduce((a, b) => a + b, 0)).toBeGreaterThan(400);
  });

  it("the code variant (each peer sends its pre-mix x, §3.3) does not conserve it", () => {
    const g = ringGraph(16);
    const x0 = normals(g.n, 3);
    const run = theoryRun({
      definition: a2cid2,
      params: params("code"),
      graph: g,
      seed: 5,
      dimension: 1,
      initial: (w) => [x0[w]!],
    });
    const invariant0 = 2 * x0.reduce((a, b) => a + b, 0);
    let worst = 0;
    for (let t = 0.5; t <= 60; t += 0.5) {
      run.advance(t);
      let total = 0;
      for (let w = 0; w < g.n; w++) total += run.read(w, "x")[0]! + run.read(w, "xTilde")[0]!;
      worst = Math.max(worst, Math.abs(total - invariant0));
    }
    expect(worst).toBeGreaterThan(1e-2);
  });

  it.each([
    ["ring of 8", ringGraph(8), (g: Graph) => uniformGossipRate(g, 1)],
    [
      "exponential graph of 8 (the code's rates: ±4 twice as often)",
      exponentialGraph(8),
      (g: Graph) => exponentialEdgeRates(g, 1),
    ],
  ])("Monte Carlo: E[(x, x̃)(t)] = expm(A t)(x, x̃)(0) on the %s (z < 5)", (_, g, ratesOf) => {
    const n = g.n;
    const runs = 1200;
    const times = [0.5, 2, 5, 9];
    const x0 = normals(n, 9);
    const constants = runConstants(gossipGraphOf(g), 1, {});
    const exact = new A2cid2MeanPropagator(denseLaplacian(g, ratesOf(g)), constants);
    // Power: the theory with uniform rates and α̃ = ½ (no A²CiD² kick beyond averaging) must be rejected.
    const wrongConstants: A2cid2Constants = { ...constants, alphaTilde: constants.alphaTilde * 0.8 };
    const wrong = new A2cid2MeanPropagator(denseLaplacian(g, uniformGossipRate(g, 1)), wrongConstants);
    const rows: Float64Array[] = [];
    for (let seed = 1; seed <= runs; seed++) {
      const run = theoryRun({
        definition: a2cid2,
        params: params(),
        graph: g,
        seed,
        dimension: 1,
        initial: (w) => [x0[w]!],
      });
      const row = new Float64Array(times.length * 2 * n);
      times.forEach((t, k) => {
        run.advance(t);
        for (let w = 0; w < n; w++) {
          // The mixed state at t: x from the model, x̃ = (x + x̃)_state − x (the mixing conserves the sum).
          const x = run.model(w)[0]!;
          row[(k * 2 + 0) * n + w] = x;
          row[(k * 2 + 1) * n + w] = run.read(w, "x")[0]! + run.read(w, "xTilde")[0]! - x;
        }
      });
      rows.push(row);
    }
    const { mean, sd } = columnStats(rows);
    let worst = 0;
    let worstWrong = 0;
    times.forEach((t, k) => {
      const e = exact.mean(x0, x0, t);
      const f = wrong.mean(x0, x0, t);
      for (let w = 0; w < n; w++) {
        for (const [part, a, b] of [
          [0, e.x, f.x],
          [1, e.xTilde, f.xTilde],
        ] as const) {
          const c = (k * 2 + part) * n + w;
          const se = sd[c]! / Math.sqrt(runs);
          worst = Math.max(worst, Math.abs(mean[c]! - a[w]!) / se);
          worstWrong = Math.max(worstWrong, Math.abs(mean[c]! - b[w]!) / se);
        }
      }
    });
    expect(worst).toBeLessThan(5);
    expect(worstWrong).toBeGreaterThan(8);
  });

  describe("ring of 16: the slowest consensus mode and the consensus distance", () => {
    const g = ringGraph(16);
    const n = g.n;
    const runs = 800;
    const { chi1, chi2, lambda2 } = gossipConstants(g, 1);
    const c = runConstants(gossipGraphOf(g), 1, {});
    const fiedler = Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * i) / n));
    const norm = Math.sqrt(fiedler.reduce((a, v) => a + v * v, 0));
    const meanTimes = [0, 2, 4, 6, 8, 10, 12, 15, 18, 21, 24];
    const consensusTimes = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];

    /** Per run: the projection of x on the Fiedler mode at meanTimes, and the consensus at consensusTimes. */
    function simulate(kind: "a2cid2" | "gossip", xTildeScale: number | undefined) {
      const projections: Float64Array[] = [];
      const consensus: Float64Array[] = [];
      for (let seed = 1; seed <= runs; seed++) {
        const common = { graph: g, seed, dimension: 1, initial: (w: number) => [fiedler[w]!] };
        const run =
          kind === "a2cid2"
            ? theoryRun({
                ...common,
                definition: a2cid2,
                params: params(),
                afterStart: (w, name) =>
                  name === "xTilde" && xTildeScale !== undefined ? [xTildeScale * fiedler[w]!] : undefined,
              })
            : theoryRun({ ...common, definition: gossip, params: gossipParams });
        const all = [...new Set([...meanTimes, ...consensusTimes])].sort((a, b) => a - b);
        const p = new Float64Array(meanTimes.length);
        const q = new Float64Array(consensusTimes.length);
        for (const t of all) {
          run.advance(t);
          const k = meanTimes.indexOf(t);
          if (k >= 0) {
            let projection = 0;
            for (let w = 0; w < n; w++) projection += (run.model(w)[0]! * fiedler[w]!) / norm;
            p[k] = projection;
          }
          const m = consensusTimes.indexOf(t);
          if (m >= 0) q[m] = consensusOf(run, n);
        }
        projections.push(p);
        consensus.push(q);
      }
      return { projections: columnStats(projections), consensus: columnStats(consensus) };
    }

    // On the Fiedler mode v (λ = λ2 = 1/χ1), A acts as B = [[−η − λ2/2, η], [η − α̃λ2, −η]] and the
    // theory constants make α̃λ2 = η: B is triangular, with eigenvalue −η for the eigenvector
    // (1, λ2/(2η)). Started there, E[x(t)] = e^{−ηt}·x(0) exactly; gossip's E[x(t)] = e^{−λ2 t/2}·x(0).
    type Simulated = ReturnType<typeof simulate>;
    let slow: Simulated;
    let natural: Simulated;
    let baseline: Simulated;
    beforeAll(() => {
      slow = simulate("a2cid2", lambda2 / (2 * c.eta));
      natural = simulate("a2cid2", undefined);
      baseline = simulate("gossip", undefined);
    });

    it("the mean on the slowest mode decays at exactly η = 1/(2√(χ1χ2)), against λ2/2 for gossip", () => {
      expect(c.eta).toBeCloseTo(0.5 / Math.sqrt(chi1 * chi2), 12);
      for (const [stats, rate] of [
        [slow.projections, c.eta],
        [baseline.projections, lambda2 / 2],
      ] as const) {
        meanTimes.forEach((t, k) => {
          if (t === 0) return;
          const se = stats.sd[k]! / Math.sqrt(runs);
          const z = Math.abs(stats.mean[k]! - norm * Math.exp(-rate * t)) / se;
          expect(z, `t = ${t}`).toBeLessThan(5);
        });
      }
      // Fitted decay rates of log E[⟨x, v⟩]: within 5% (the projection stays ≥ 25 standard errors).
      const fitted = (stats: { mean: Float64Array }) =>
        -slope(
          meanTimes,
          meanTimes.map((_, k) => Math.log(stats.mean[k]!)),
        );
      const rateA = fitted(slow.projections);
      const rateG = fitted(baseline.projections);
      expect(Math.abs(rateA / c.eta - 1)).toBeLessThan(0.05);
      expect(Math.abs(rateG / (lambda2 / 2) - 1)).toBeLessThan(0.05);
      // The acceleration √(χ1/χ2) = 3.74 of reference §3.6 (cycle 16).
      expect(Math.abs(rateA / rateG / Math.sqrt(chi1 / chi2) - 1)).toBeLessThan(0.07);
    });

    it("E‖x − x̄‖² follows the exact second-moment ODE (z < 5) and decays ≥ 2× faster than gossip's", () => {
      const z0 = [...fiedler, ...fiedler];
      const { generators, jumps } = a2cid2Moments(
        n,
        edgesOf(g, uniformGossipRate(g, 1)),
        c.eta,
        c.alphaTilde,
      );
      const exactA = secondMoments(z0, generators, jumps, consensusTimes).map((s) =>
        expectedConsensus(s, 2 * n, n),
      );
      const exactG = secondMoments(
        fiedler,
        [],
        gossipJumps(edgesOf(g, uniformGossipRate(g, 1))),
        consensusTimes,
      ).map((s) => expectedConsensus(s, n, n));
      for (const [stats, exact] of [
        [natural.consensus, exactA],
        [baseline.consensus, exactG],
      ] as const) {
        consensusTimes.forEach((t, k) => {
          const z = Math.abs(stats.mean[k]! - exact[k]!) / (stats.sd[k]! / Math.sqrt(runs));
          expect(z, `t = ${t}: ${stats.mean[k]} vs ${exact[k]}`).toBeLessThan(5);
        });
      }
      // Decay rates of log E‖x − x̄‖² over t ∈ [20, 50], measured (Monte Carlo means) and exact.
      const late = consensusTimes.map((t, k) => [t, k] as const).filter(([t]) => t >= 20);
      const rate = (values: ArrayLike<number>) =>
        -slope(
          late.map(([t]) => t),
          late.map(([, k]) => Math.log(values[k]!)),
        );
      const measuredA = rate(natural.consensus.mean);
      const measuredG = rate(baseline.consensus.mean);
      expect(Math.abs(measuredA / rate(exactA) - 1)).toBeLessThan(0.1);
      expect(Math.abs(measuredG / rate(exactG) - 1)).toBeLessThan(0.1);
      expect(measuredA / measuredG).toBeGreaterThan(2);
      // The second moment is not the mean: it decays faster than gossip's (≈ λ2) but slower than 2η,
      // the rate of ‖E[x] − x̄‖² (fluctuations around the mean mode decay more slowly).
      expect(rate(exactA)).toBeLessThan(2 * c.eta);
      expect(rate(exactA)).toBeGreaterThan(1.2 * c.eta);
    });
  });
});
