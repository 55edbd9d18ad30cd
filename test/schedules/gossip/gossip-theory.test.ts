import { describe, expect, it } from "vitest";
import { ringGraph, starGraph } from "../../../sim/cluster/topology/classic-graphs.ts";
import type { Graph } from "../../../sim/cluster/topology/graph.ts";
import { exponentialGraph } from "../../../sim/cluster/topology/index.ts";
import { uniformGossipRate } from "../../../sim/cluster/topology/spectra.ts";
import { RandomStreams } from "../../../sim/engine/index.ts";
import { type GossipParams, gossip } from "../../../sim/schedules/gossip.ts";
import { GossipMeanPropagator } from "../../../sim/schedules/math/gossip.ts";
import { columnStats, theoryRun } from "./harness.ts";
import { expectedConsensus, gossipJumps, secondMoments } from "./moments.ts";

/**
 * The gossip baseline in theory mode with zero gradients (a test double problem): pure pairwise
 * averaging on Poisson edge clocks (reference §6.2).
 */

const params: GossipParams = { rate: 1, sgd: { lr: 0.1, momentum: 0, weightDecay: 0 } };

function initialValues(n: number, dimension: number, seed: number): number[][] {
  const rng = new RandomStreams(seed).stream("initial");
  return Array.from({ length: n }, () => Array.from({ length: dimension }, () => rng.normal()));
}

function edgesOf(g: Graph, rate: number): [number, number, number][] {
  return Array.from(g.edgeU, (u, e) => [u, g.edgeV[e]!, rate] as [number, number, number]);
}

describe("gossip, theory mode, no gradients", () => {
  it.each([
    ["ring", ringGraph(16)],
    ["exponential", exponentialGraph(16)],
    ["star", starGraph(9)],
  ])("pairwise averaging conserves the global mean at every sample (%s)", (_, g) => {
    const dimension = 3;
    const x0 = initialValues(g.n, dimension, 7);
    const run = theoryRun({
      definition: gossip,
      params,
      graph: g,
      seed: 11,
      dimension,
      initial: (w) => x0[w]!,
    });
    const mean0 = x0.reduce((m, x) => m.map((v, c) => v + x[c]! / g.n), [0, 0, 0]);
    let worst = 0;
    for (let t = 0.5; t <= 60; t += 0.5) {
      run.advance(t);
      for (let c = 0; c < dimension; c++) {
        let mean = 0;
        for (let w = 0; w < g.n; w++) mean += run.model(w)[c]! / g.n;
        worst = Math.max(worst, Math.abs(mean - mean0[c]!));
      }
    }
    // Float32 storage: each average rounds both ends by ≤ 2^−24 relative (values O(1)), ~500 exchanges.
    expect(worst).toBeLessThan(2e-5);
    // Not vacuous: the workers did average (consensus fell by orders of magnitude).
    const exchanges = run.count("exchanges").reduce((a, b) => a + b, 0);
    expect(exchanges).toBeGreaterThan(400);
    let spread = 0;
    for (let w = 0; w < g.n; w++) spread = Math.max(spread, Math.abs(run.model(w)[0]! - mean0[0]!));
    expect(spread).toBeLessThan(0.2);
  });

  it.each([
    ["ring of 8", ringGraph(8)],
    ["star of 6 (non-regular)", starGraph(6)],
  ])("Monte Carlo: E[x(t)] = expm(−Λt/2)·x(0) on the %s, per worker and time (z < 5)", (_, g) => {
    const runs = 1500;
    const times = [0.5, 1.5, 3, 6];
    const x0 = initialValues(g.n, 1, 3).map((x) => x[0]!);
    // gossip.ts's edge clocks: n·r/2 events per unit, uniform over the edges (uniformGossipRate).
    const exact = GossipMeanPropagator.fromGraph(g, uniformGossipRate(g, params.rate));
    const wrong = GossipMeanPropagator.fromGraph(g, 2 * uniformGossipRate(g, params.rate));
    const rows: Float64Array[] = [];
    for (let seed = 1; seed <= runs; seed++) {
      const run = theoryRun({
        definition: gossip,
        params,
        graph: g,
        seed,
        dimension: 1,
        initial: (w) => [x0[w]!],
      });
      const row = new Float64Array(times.length * g.n);
      times.forEach((t, k) => {
        run.advance(t);
        for (let w = 0; w < g.n; w++) row[k * g.n + w] = run.model(w)[0]!;
      });
      rows.push(row);
    }
    const { mean, sd } = columnStats(rows);
    let worst = 0;
    let worstWrong = 0;
    times.forEach((t, k) => {
      const expected = exact.mean(x0, t);
      const doubled = wrong.mean(x0, t);
      for (let w = 0; w < g.n; w++) {
        const se = sd[k * g.n + w]! / Math.sqrt(runs);
        worst = Math.max(worst, Math.abs(mean[k * g.n + w]! - expected[w]!) / se);
        worstWrong = Math.max(worstWrong, Math.abs(mean[k * g.n + w]! - doubled[w]!) / se);
      }
    });
    expect(worst).toBeLessThan(5);
    // The test has power: twice the edge rate would be rejected by far.
    expect(worstWrong).toBeGreaterThan(10);
  });

  it("Monte Carlo: E‖x − x̄‖² follows the exact second-moment ODE on a ring of 8 (z < 5)", () => {
    const g = ringGraph(8);
    const runs = 1500;
    const times = [1, 3, 6, 10];
    const x0 = initialValues(g.n, 1, 5).map((x) => x[0]!);
    const moments = secondMoments(x0, [], gossipJumps(edgesOf(g, uniformGossipRate(g, 1))), times);
    const rows: Float64Array[] = [];
    for (let seed = 1; seed <= runs; seed++) {
      const run = theoryRun({
        definition: gossip,
        params,
        graph: g,
        seed,
        dimension: 1,
        initial: (w) => [x0[w]!],
      });
      rows.push(
        Float64Array.from(times, (t) => {
          run.advance(t);
          const x = Array.from({ length: g.n }, (_, w) => run.model(w)[0]!);
          const mean = x.reduce((a, b) => a + b, 0) / g.n;
          return x.reduce((a, v) => a + (v - mean) ** 2, 0) / g.n;
        }),
      );
    }
    const { mean, sd } = columnStats(rows);
    times.forEach((t, k) => {
      const exact = expectedConsensus(moments[k]!, g.n, g.n);
      const z = Math.abs(mean[k]! - exact) / (sd[k]! / Math.sqrt(runs));
      expect(z, `t = ${t}: ${mean[k]} vs ${exact}`).toBeLessThan(5);
    });
  });
});
