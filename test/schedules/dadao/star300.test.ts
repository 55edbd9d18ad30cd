import { beforeAll, describe, expect, it } from "vitest";
import { LeastSquaresProblem } from "../../../sim/problems/least-squares.ts";
import { dadaoSetup } from "../../../sim/schedules/dadao.ts";
import { averagedModel, loadPaperScenario, type ObservedRun, observeDadao, total } from "./helpers.ts";

/**
 * scenarios/papers/dadao-star300.yaml, the authors' notebook set-up (reference §2.9, §7.5, §7.7): star
 * of 300 workers, least squares in d = 2, 100 samples per worker, full local gradients, theory
 * fidelity, T = 300. One run (~1.5 s) shared by the checks; the seed is the file's (1).
 *
 * Measured on this run (seed 1): 90 314 gradients, 89 966 communications (180 280 events; the
 * notebook saw 180 376), x̄ = [−0.65680329, −0.55855062] against x* = [−0.65680324, −0.55855057]
 * (relative error 7.8e-8), distance to x* from 0.743 to 1.69e-12 (ratio 2.3e-12). Over seeds 1–6 the
 * relative error of x̄ was 4e-8 … 1.0e-7 and the final ratio 1.3e-12 … 2.6e-12: the float32 floor of
 * the state (the notebook, in float64, got 1e-8). The ratio passes 1e-10 only around T ≈ 150.
 */
describe("DADAO on the notebook's star-300 set-up (scenarios/papers/dadao-star300.yaml)", () => {
  const scenario = loadPaperScenario("dadao-star300.yaml");
  const n = 300;
  const T = 300;
  let run: ObservedRun;

  beforeAll(() => {
    run = observeDadao(scenario);
  });

  it("is the notebook's set-up", () => {
    expect(scenario.cluster.workers).toBe(n);
    expect(scenario.cluster.topology).toEqual({ kind: "star" });
    expect(scenario.problem).toMatchObject({
      kind: "least-squares",
      dimension: 2,
      samplesPerWorker: 100,
      batchSize: 100,
    });
    expect(scenario.schedule).toMatchObject({ kind: "dadao", fidelity: "theory" });
    expect(scenario.stop.time).toBe(T);
    expect(run.result.stopReason).toBe("time");
  });

  it("λ_mix = √(2χ₁χ₂) = 299 on the star (reference §6.4), χ₁* = 1", () => {
    const { mixRate, rates } = dadaoSetup(run.ops, {});
    expect(mixRate).toBeCloseTo(299, 9);
    expect(rates.chi1 / mixRate).toBeCloseTo(1, 12);
  });

  it("event counts: n·T gradients, 299·T communications, 179 700 in all, each within 3·√mean", () => {
    const gradients = total(run.result, "gradients");
    // Every communication is counted at both of its ends.
    const communications = total(run.result, "exchanges") / 2;
    expect(Math.abs(gradients - n * T)).toBeLessThan(3 * Math.sqrt(n * T));
    expect(Math.abs(communications - 299 * T)).toBeLessThan(3 * Math.sqrt(299 * T));
    expect(Math.abs(gradients + communications - 179_700)).toBeLessThan(3 * Math.sqrt(179_700));
    // On a star every edge has the centre at one end: it takes part in every communication.
    expect(run.result.workers[0]!.counts.exchanges).toBe(communications);
    // Gradients are spread uniformly: each worker's count is Poisson(T) (|z| < 5 for all 300 of them).
    for (const w of run.result.workers)
      expect(Math.abs(w.counts.gradients! - T)).toBeLessThan(5 * Math.sqrt(T));
  });

  it("the averaged model reaches x* to 6 significant digits (x̄ within 1e-6 relative; measured 7.8e-8)", () => {
    expect(run.ops.problem).toBeInstanceOf(LeastSquaresProblem);
    const xStar = (run.ops.problem as LeastSquaresProblem).xStar;
    const mean = averagedModel(run);
    const error = Math.hypot(...mean.map((v, k) => v - xStar[k]!));
    expect(error / Math.hypot(...xStar)).toBeLessThan(1e-6);
  });

  it("(1/n)Σ‖x_i − x*‖² falls below 1e-10 of its start (measured 2.3e-12; 1e-10 is passed near T = 150)", () => {
    const distance = run.result.series!.distanceToOptimum!;
    const times = run.result.series!.t;
    expect(times[0]).toBe(0);
    expect(times.at(-1)).toBe(T);
    expect(distance.at(-1)! / distance[0]!).toBeLessThan(1e-10);
    // Geometric decay on the way: below 1e-3 of the start by T/4 (measured 1.7e-5 at t = 54).
    const quarter = times.findIndex((t) => t >= T / 4);
    expect(distance[quarter]! / distance[0]!).toBeLessThan(1e-3);
  });

  it("Σ_i (α̃·z_i + α·z̃_i) stays 0 over the whole run (the ODE keeps it per node, exchanges keep Σz, Σz̃)", () => {
    const { alpha, alphaTilde } = dadaoSetup(run.ops, {}).constants;
    const d = run.ops.problem.dimension;
    const sum = new Float64Array(d);
    let magnitude = 0;
    for (let w = 0; w < n; w++) {
      const z = run.ops.vector(w, "z").data!;
      const zTilde = run.ops.vector(w, "zTilde").data!;
      for (let k = 0; k < d; k++) {
        sum[k]! += alphaTilde * z[k]! + alpha * zTilde[k]!;
        magnitude += Math.abs(alphaTilde * z[k]!) + Math.abs(alpha * zTilde[k]!);
      }
    }
    // The z's are far from 0 (they carry each worker's −∇f_i(x*)), their weighted sum is 0 up to
    // float32 rounding (measured ~3e-8 of the magnitude).
    expect(magnitude).toBeGreaterThan(1);
    for (const s of sum) expect(Math.abs(s)).toBeLessThan(1e-6 * magnitude);
  });
});
