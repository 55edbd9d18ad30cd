import { describe, expect, it } from "vitest";
import { pathGraph, starGraph } from "../../../sim/cluster/topology/classic-graphs.ts";
import type { LeastSquaresProblem } from "../../../sim/problems/least-squares.ts";
import type { RunResult } from "../../../sim/result.ts";
import { runScenario } from "../../../sim/run.ts";
import { dadaoSetup } from "../../../sim/schedules/dadao.ts";
import { dadaoRates } from "../../../sim/schedules/math/dadao.ts";
import { averagedModel, dadaoScenario, observeDadao, total } from "./helpers.ts";

/**
 * Whole runs on small clusters (least squares, d = 4, 100 samples per worker, full local gradients):
 * determinism, a time-varying graph, and systems fidelity. Each run takes well under a second.
 */

/** The result without what depends on the machine. */
function stable(r: RunResult) {
  const { wallTime: _w, eventsPerSecond: _e, ...rest } = r;
  return rest;
}

function finalRatio(r: RunResult): number {
  const d = r.series!.distanceToOptimum!;
  return d.at(-1)! / d[0]!;
}

describe("DADAO runs: determinism", () => {
  const ring = (seed: number) => dadaoScenario({ seed, workers: 16, topology: { kind: "ring" }, time: 60 });

  it("the same seed gives the same run bit for bit (counts, series, event count); another seed does not", () => {
    const a = runScenario(ring(3));
    const b = runScenario(ring(3));
    expect(stable(b)).toEqual(stable(a));
    const c = runScenario(ring(4));
    expect(c.series!.distanceToOptimum).not.toEqual(a.series!.distanceToOptimum);
    expect(c.workers.map((w) => w.counts.gradients)).not.toEqual(a.workers.map((w) => w.counts.gradients));
  });
});

describe("DADAO runs: a time-varying graph (reference §2.7)", () => {
  // A star (centre 0) and a path (0 at one end) in turn, 0.5 time units each, over T = 200.
  const T = 200;
  const scenario = dadaoScenario({
    workers: 8,
    topology: { kind: "time-varying", period: 0.5, graphs: [{ kind: "star" }, { kind: "path" }] },
    time: T,
  });

  it("uses the worst case of the sequence, draws edges from the graph in force, and converges", () => {
    const run = observeDadao(scenario);
    const { mixRate } = dadaoSetup(run.ops, {});
    const star = dadaoRates(starGraph(8));
    const path = dadaoRates(pathGraph(8));
    // λ_mix from the worst χ's (the path's χ₁, 46.0, and χ₂, 3.5, against the star's 7 and 3.5).
    expect(mixRate).toBeCloseTo(
      Math.sqrt(2 * Math.max(star.chi1, path.chi1) * Math.max(star.chi2, path.chi2)),
      12,
    );
    const communications = total(run.result, "exchanges") / 2;
    expect(Math.abs(communications - mixRate * T)).toBeLessThan(5 * Math.sqrt(mixRate * T));
    // Worker 0 is in every star edge (7 of 7) and in 1 of the path's 7: half the time each, so it
    // takes part in (1 + 1/7)/2 of the communications (measured 1971 of 3512, expected 2007 ± 45);
    // on the star alone it would be all of them, on the path alone 1/7.
    const expected = ((1 + 1 / 7) / 2) * mixRate * T;
    expect(Math.abs(run.result.workers[0]!.counts.exchanges! - expected)).toBeLessThan(
      5 * Math.sqrt(expected),
    );
    // Converges as on a fixed graph (measured final ratio 8.7e-13).
    expect(finalRatio(run.result)).toBeLessThan(1e-10);
    const xStar = (run.ops.problem as LeastSquaresProblem).xStar;
    const mean = averagedModel(run);
    expect(Math.hypot(...mean.map((v, k) => v - xStar[k]!)) / Math.hypot(...xStar)).toBeLessThan(1e-6);
  });
});

describe("DADAO runs: systems fidelity", () => {
  // 1 ms per gradient: 100 samples × 16 FLOPs at 3.2 MFLOP/s × 0.5 efficiency. 0.2 s = 200 units.
  const device = { peakFlops: 3.2e6, efficiency: 0.5, duration: "deterministic" };
  const systems = (seed: number) =>
    dadaoScenario({ seed, workers: 8, topology: { kind: "ring" }, time: 0.2, fidelity: "systems", device });

  it("is deterministic per seed", () => {
    const a = runScenario(systems(5));
    const b = runScenario(systems(5));
    expect(stable(b)).toEqual(stable(a));
  });

  it("gradients back to back, exchanges at λ_mix per unit over real transfers, and convergence", () => {
    const run = observeDadao(systems(1));
    const r = run.result;
    expect(run.ops.meanGradientTime(0)).toBeCloseTo(1e-3, 15);
    // Deterministic 1 ms gradients: 200 in 0.2 s (the last may complete exactly at the horizon).
    for (const w of r.workers) {
      expect(w.counts.gradients).toBeGreaterThanOrEqual(199);
      expect(w.counts.gradients).toBeLessThanOrEqual(200);
      expect(w.computeTime).toBeGreaterThan(0.19);
    }
    // Every edge at λ_mix/|E| per unit: λ_mix·200 exchanges (ring-8: λ_mix = 9.78, ~1956 ± 44;
    // transfers of 16 B take ~5 µs, so the per-worker clocks barely lose time to them).
    const { mixRate } = dadaoSetup(run.ops, {});
    const communications = total(r, "exchanges") / 2;
    expect(Math.abs(communications - mixRate * 200)).toBeLessThan(5 * Math.sqrt(mixRate * 200));
    // One d-vector each way per exchange, through the network.
    expect(total(r, "messagesSent")).toBe(2 * communications);
    expect(total(r, "messagesReceived")).toBe(2 * communications);
    expect(r.network.transfers).toBe(2 * communications);
    for (const w of r.workers) expect(w.bytesSent).toBeGreaterThan(0);
    // Events keep flowing to the end: the run stops on time, with metrics sampled up to it.
    expect(r.stopReason).toBe("time");
    expect(r.series!.t.at(-1)).toBeCloseTo(0.2, 12);
    // Delays of ~0.005 units cost nothing visible: converges like theory mode (measured 8.1e-13).
    expect(finalRatio(r)).toBeLessThan(1e-10);
  });
});
