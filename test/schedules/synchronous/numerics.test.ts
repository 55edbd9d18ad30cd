import { describe, expect, it } from "vitest";
import { CpuKernels } from "../../../kernels/cpu.ts";
import { RandomStreams } from "../../../sim/engine/index.ts";
import type { Optimizer } from "../../../sim/optim/optimizer.ts";
import type { Problem } from "../../../sim/problems/problem.ts";
import { decodeScenario } from "../../../sim/scenario/decode.ts";
import { buildProblem } from "../../../sim/scenario/registry/problem-kinds.ts";
import type { Scenario } from "../../../sim/scenario/types.ts";
import { type Raw, relativeGap, runCapturing } from "./helpers.ts";

/**
 * The numbers of the four schedules on a deterministic problem: least squares with full-batch
 * gradients (every "stochastic" gradient is the worker's exact local gradient), 4 workers with
 * heterogeneous data (so the average objective differs from every local one), d = 10 (ZeRO shards of
 * 3, 3, 3 and 1 coordinates). Theory mode: each micro-batch lasts one time unit and communication is
 * instantaneous, so the iterate after step k is on display at a known time (observed at k + ½).
 *
 * Tolerance: the references below redo the schedule's float32 arithmetic in the same order (float64
 * sums of float32 gradients, rounded to float32, scaled in float32), so they agree to float32
 * rounding; 1e-5 relative leaves room for the order of summation.
 */

const WORKERS = 4;
const SEED = 7;
const problemSpec = {
  kind: "least-squares",
  dimension: 10,
  samplesPerWorker: 40,
  batchSize: 40,
  noise: 0.5,
  heterogeneity: 1,
  l2: 0,
} as const;
const TOL = 1e-5;

const kernels = new CpuKernels();
const reference: Problem = buildProblem(problemSpec, WORKERS, new RandomStreams(SEED), "problem");
const L = reference.L!;
const sgd = (lr: number): Optimizer => ({ kind: "sgd", lr, momentum: 0, weightDecay: 0 });
const adamw: Optimizer = { kind: "adamw", lr: 0.05, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.01 };

function scenario(
  kind: string,
  optimizer: Optimizer,
  schedule: Raw = {},
  stop = 30,
  problem: Raw = {},
): Scenario {
  return decodeScenario({
    seed: SEED,
    cluster: { workers: WORKERS },
    problem: { ...problemSpec, ...problem },
    schedule: { kind, fidelity: "theory", optimizer, ...schedule },
    stop: { time: stop },
  });
}

/** Observation times k + ½ (theory mode) or (k + ½)·T·spacing, for k = 1…count. */
const halfway =
  (count: number, spacing = 1) =>
  (T: number) =>
    Array.from({ length: count }, (_, k) => (k + 1.5) * T * spacing);

/** (1/n)·Σ_i ∇f_i(x), as the schedules compute it: float64 sum of float32 gradients, then scaled. */
function meanGradient(x: Float32Array, times = 1): Float32Array {
  const xv = kernels.fromArray(x);
  const g = kernels.alloc(x.length);
  const rng = new RandomStreams(0).stream("unused");
  const sum = new Float64Array(x.length);
  for (let w = 0; w < WORKERS; w++) {
    reference.gradient(w, xv, g, rng);
    for (let i = 0; i < x.length; i++) sum[i]! += times * g.data![i]!;
  }
  const out = kernels.fromArray(sum);
  kernels.scale(out, 1 / (WORKERS * times));
  return out.data!;
}

function sgdStep(x: Float32Array, g: Float32Array, lr: number): Float32Array {
  const out = Float32Array.from(x);
  for (let i = 0; i < x.length; i++) out[i] = out[i]! - lr * g[i]!;
  return out;
}

const zeros = (): Float32Array => new Float32Array(problemSpec.dimension);

/** Gradient descent on the average objective, x_{k+1} = x_k − η∇f(x_k), from x⁰ = 0: x_1…x_count. */
function gradientDescent(lr: number, count: number): Float32Array[] {
  const iterates: Float32Array[] = [];
  let x = zeros();
  for (let k = 0; k < count; k++) {
    x = sgdStep(x, meanGradient(x), lr);
    iterates.push(x);
  }
  return iterates;
}

function expectAllWorkers(snapshot: Float32Array[], expected: Float32Array, tol = TOL): void {
  for (const x of snapshot) expect(relativeGap(x, expected)).toBeLessThan(tol);
}

describe("allreduce-sgd (DDP)", () => {
  const lr = 1 / L;

  it("equals gradient descent on the average objective, step for step", () => {
    const { snapshots } = runCapturing(scenario("allreduce-sgd", sgd(lr)), halfway(12));
    const gd = gradientDescent(lr, 12);
    expect(snapshots).toHaveLength(12);
    snapshots.forEach((snapshot, k) => {
      expectAllWorkers(snapshot, gd[k]!);
    });
    // Not trivially: the iterates move (‖x_12 − x_1‖ is not small).
    expect(relativeGap(gd[11]!, gd[0]!)).toBeGreaterThan(1e-2);
  });

  it("averages accumulated micro-batches: accumulation 3 gives the same iterates, 3× slower", () => {
    const { snapshots } = runCapturing(
      scenario("allreduce-sgd", sgd(lr), { accumulation: 3 }),
      halfway(6, 3),
    );
    const gd = gradientDescent(lr, 6);
    snapshots.forEach((snapshot, k) => {
      expectAllWorkers(snapshot, gd[k]!);
    });
  });

  it("buckets (systems mode, overlapped with the backward) change the timing, not the numbers", () => {
    const systems = (buckets: number) =>
      decodeScenario({
        seed: SEED,
        // 4000 FLOPs per micro-batch at 4 MFLOP/s: 1 ms; the 40-byte all-reduces take microseconds.
        cluster: { workers: WORKERS, device: { peakFlops: "4 MFLOP/s", efficiency: 1 } },
        problem: problemSpec,
        schedule: { kind: "allreduce-sgd", optimizer: sgd(lr), accumulation: 2, buckets },
        stop: { time: 0.025 },
      });
    const gd = gradientDescent(lr, 10);
    for (const buckets of [1, 4]) {
      const { snapshots, result } = runCapturing(systems(buckets), halfway(10, 2));
      snapshots.forEach((snapshot, k) => {
        expectAllWorkers(snapshot, gd[k]!);
      });
      // Four buckets: four all-reduces of 3, 3, 3 and 1 values per step.
      const perStep = result.collectives.slice(0, buckets).map((c) => c.bytes);
      expect(perStep).toEqual(buckets === 1 ? [40] : [12, 12, 12, 4]);
    }
  });
});

describe("zero1", () => {
  it("gives allreduce-sgd's parameters with the optimizer state sharded (AdamW, SGD)", () => {
    for (const optimizer of [adamw, sgd(1 / L)]) {
      const ddp = runCapturing(scenario("allreduce-sgd", optimizer), halfway(15)).snapshots;
      const zero = runCapturing(scenario("zero1", optimizer), halfway(15)).snapshots;
      zero.forEach((snapshot, k) => {
        expectAllWorkers(snapshot, ddp[k]![0]!, 1e-6);
      });
      // AdamW really moved every coordinate, the last shard's one included.
      for (const v of ddp[14]![0]!) expect(Math.abs(v)).toBeGreaterThan(1e-3);
    }
  });
});

describe("dpu", () => {
  it("is gradient descent with a one-step-stale gradient: θ^{t+1} = θ^t − η∇f(θ^{t−1})", () => {
    const lr = 1 / L;
    // The seed at θ⁰ (t = 1) feeds round 0; the compute stream hands its group over after each
    // round, so θ^k is on display from t = k + 1 on: observe at 2.5, 3.5, …
    const { snapshots } = runCapturing(scenario("dpu", sgd(lr)), (T) =>
      Array.from({ length: 8 }, (_, k) => (k + 2.5) * T),
    );
    // By hand: θ¹ = θ⁰ − η∇f(θ⁰); θ² = θ¹ − η∇f(θ⁰) (the seed and the next group, both at θ⁰);
    // then θ³ = θ² − η∇f(θ¹), θ⁴ = θ³ − η∇f(θ²), …
    const theta = [zeros()];
    theta.push(sgdStep(theta[0]!, meanGradient(theta[0]!), lr));
    theta.push(sgdStep(theta[1]!, meanGradient(theta[0]!, 2), lr));
    for (let t = 2; t < 8; t++) theta.push(sgdStep(theta[t]!, meanGradient(theta[t - 1]!), lr));
    snapshots.forEach((snapshot, k) => {
      expectAllWorkers(snapshot, theta[k + 1]!);
    });
    // The delay is visible: θ² differs from gradient descent's x₂ by η(∇f(θ¹) − ∇f(θ⁰)).
    const gd = gradientDescent(lr, 2);
    expect(relativeGap(snapshots[1]![0]!, gd[1]!)).toBeGreaterThan(1e-3);
  });

  it("warmupSteps: that many synchronous steps (gradient descent), then the one-step delay from there", () => {
    const lr = 1 / L;
    const warmup = 3;
    // Warm-up step s shows θ^s from t = s on; then the seed group at θ³ (t ∈ [3, 4]) feeds round 0,
    // and θ^{3+k} is on display from t = 4 + k on (as without warm-up, shifted by 3 steps).
    const at = [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5];
    const { snapshots } = runCapturing(scenario("dpu", sgd(lr), { warmupSteps: warmup }), (T) =>
      at.map((t) => t * T),
    );
    const theta = [zeros(), ...gradientDescent(lr, warmup)];
    theta.push(sgdStep(theta[warmup]!, meanGradient(theta[warmup]!), lr));
    theta.push(sgdStep(theta[warmup + 1]!, meanGradient(theta[warmup]!, 2), lr));
    for (let t = warmup + 2; t < warmup + 5; t++)
      theta.push(sgdStep(theta[t]!, meanGradient(theta[t - 1]!), lr));
    const shown = [1, 2, 3, 3, 4, 5, 6, 7];
    snapshots.forEach((snapshot, k) => {
      expectAllWorkers(snapshot, theta[shown[k]!]!);
    });
    // Not vacuous: without the warm-up, θ² would already carry the stale gradient (≠ GD's x₂).
    const stale = sgdStep(theta[1]!, meanGradient(theta[0]!), lr);
    expect(relativeGap(snapshots[1]![0]!, stale)).toBeGreaterThan(1e-3);
  });
});

describe("acco", () => {
  /**
   * ACCO's iterates with SGD (reference §4.1), from the seed θ̃⁰ = θ⁰, with each worker's mini-batch
   * gradients G_i drawn in the order its compute stream draws them (seed at θ⁰, then θ⁰, θ̃¹, θ¹, θ̃², …):
   *   θ̃^{t+1} = θ^t − η·mean_i G_i(θ̃^t)                       (tentative round: first half only)
   *   θ^{t+1} = θ^t − η·mean_i [G_i(θ̃^t) + G_i(θ^t)]/2         (real round: both halves)
   * The compute stream shows θ̃^{t+1} from time 2t + 2 on and θ^{t+1} from 2t + 3 (theory mode).
   */
  function accoBySgd(problem: Problem, lr: number, steps: number) {
    const streams = new RandomStreams(SEED);
    const rngs = Array.from({ length: WORKERS }, (_, w) => streams.stream("gradient-samples", w));
    const draw = (w: number, x: Float32Array) => {
      const g = kernels.alloc(x.length);
      problem.gradient(w, kernels.fromArray(x), g, rngs[w]!);
      return g.data!;
    };
    /** Float64 sum over workers of float32 per-worker buffers, rounded, scaled by 1/total. */
    const average = (buffers: Float32Array[], total: number) => {
      const sum = new Float64Array(buffers[0]!.length);
      for (const b of buffers) for (let i = 0; i < b.length; i++) sum[i]! += b[i]!;
      const out = kernels.fromArray(sum);
      kernels.scale(out, 1 / total);
      return out.data!;
    };
    const real = [zeros()];
    const tentative = [zeros()];
    for (let t = 0; t < steps; t++) {
      const first = Array.from({ length: WORKERS }, (_, w) => draw(w, tentative[t]!));
      tentative.push(sgdStep(real[t]!, average(first, WORKERS), lr));
      const both = first.map((g, w) => {
        const sum = kernels.fromArray(g);
        kernels.axpy(sum, 1, kernels.fromArray(draw(w, real[t]!)));
        return sum.data!;
      });
      real.push(sgdStep(real[t]!, average(both, 2 * WORKERS), lr));
    }
    return { tentative, real };
  }

  it("follows the tentative and real rounds of §4.1–4.2 exactly (SGD, mini-batches)", () => {
    const lr = 0.5 / L;
    const stochastic = scenario("acco", sgd(lr), {}, 30, { batchSize: 8 });
    const { snapshots, problem } = runCapturing(stochastic, (T) =>
      Array.from({ length: 12 }, (_, k) => (k + 2.5) * T),
    );
    const { tentative, real } = accoBySgd(problem, lr, 6);
    snapshots.forEach((snapshot, k) => {
      const t = Math.floor(k / 2) + 1;
      expectAllWorkers(snapshot, k % 2 === 0 ? tentative[t]! : real[t]!);
    });
    // With mini-batches θ̃ and θ really differ (the tentative step is not the real one).
    for (let t = 1; t <= 6; t++) expect(relativeGap(tentative[t]!, real[t]!)).toBeGreaterThan(1e-3);
  });

  it("is gradient descent when gradients are exact and speeds equal (θ̃ = θ), and converges", () => {
    const lr = 1 / L;
    const { snapshots, result } = runCapturing(scenario("acco", sgd(lr), {}, 400), (T) =>
      Array.from({ length: 10 }, (_, k) => (2 * k + 3.5) * T),
    );
    // θ̃¹ = θ¹ (both one step from θ⁰ with ∇f(θ⁰)), hence by induction θ̃^t = θ^t = x_t of GD.
    const gd = gradientDescent(lr, 10);
    snapshots.forEach((snapshot, k) => {
      expectAllWorkers(snapshot, gd[k]!);
    });
    const distance = result.series!.distanceToOptimum!;
    // Linear convergence at rate ≤ 1 − μ/L per step (two time units; μ/L ≈ 0.2): ‖x − x*‖² / ‖x*‖²
    // ≤ 0.8^(2·199) ≈ 1e-39 in exact arithmetic; float32 stops it near 1e-13.
    expect(distance.at(-1)! / distance[0]!).toBeLessThan(1e-10);
    expect(result.series!.consensus!.at(-1)!).toBeLessThan(1e-12);
  });

  it("restores AdamW's state after a tentative round (m, v and the step count)", () => {
    // Reference with the kernels' AdamW: the tentative step starts from the committed state and is
    // thrown away; the real one starts from the same committed state and is kept. A broken restore
    // would step θ¹ from a state already updated once (t = 2, m and v moved).
    const observe = (T: number) => [2.5 * T, 3.5 * T, 4.5 * T, 5.5 * T];
    const { snapshots } = runCapturing(scenario("acco", adamw), observe);
    const d = problemSpec.dimension;
    const state = { m: kernels.alloc(d), v: kernels.alloc(d), t: 0 };
    const adam = (from: Float32Array, g: Float32Array, commit: boolean): Float32Array => {
      const x = kernels.fromArray(from);
      const m = kernels.fromArray(state.m.data!);
      const v = kernels.fromArray(state.v.data!);
      const { lr, beta1, beta2, eps, weightDecay } = adamw as Extract<Optimizer, { kind: "adamw" }>;
      kernels.adamw(x, m, v, kernels.fromArray(g), state.t + 1, lr, beta1, beta2, eps, weightDecay);
      if (commit) Object.assign(state, { m, v, t: state.t + 1 });
      return x.data!;
    };
    const theta0 = zeros();
    const tilde1 = adam(theta0, meanGradient(theta0), false);
    const theta1 = adam(theta0, meanGradient(theta0), true);
    const gTilde1 = meanGradient(tilde1);
    const tilde2 = adam(theta1, gTilde1, false);
    const g1 = meanGradient(theta1);
    const theta2 = adam(
      theta1,
      Float32Array.from(gTilde1, (v, i) => Math.fround((v + g1[i]!) / 2)),
      true,
    );
    for (const [k, expected] of [tilde1, theta1, tilde2, theta2].entries()) {
      expectAllWorkers(snapshots[k]!, expected);
    }
  });

  it("with one worker 4× slower and non-iid data, converges to the count-weighted optimum", () => {
    // Systems mode, exact local gradients, 1 ms micro-batches, worker 3 at 4 ms, communication of a
    // few microseconds: every round the fast workers contribute 4 micro-batches and the slow one 1,
    // so the fixed point solves Σ_i π_i ∇f_i(θ) = 0 with π = (4, 4, 4, 1)/13, not ∇f(θ) = 0: ACCO's
    // weighting by count biases the objective towards the fast workers' data when data differ.
    const s = decodeScenario({
      seed: SEED,
      cluster: {
        workers: WORKERS,
        device: { peakFlops: "4 MFLOP/s", efficiency: 1 },
        devices: [{ worker: 3, speed: 0.25 }],
      },
      problem: problemSpec,
      schedule: { kind: "acco", optimizer: sgd(0.5 / L) },
      stop: { time: 1.5 },
    });
    const { result } = runCapturing(s, () => []);
    const perStep = result.workers.map((w) => w.counts.microBatchesPerStep!);
    for (const fast of perStep.slice(0, 3)) expect(fast).toBeCloseTo(8, 1);
    expect(perStep[3]).toBeCloseTo(2, 1);
    const weighted = weightedOptimum([4, 4, 4, 1]);
    const optimum = weightedOptimum([1, 1, 1, 1]);
    const last = lastModel(s);
    expect(relativeGap(last, weighted)).toBeLessThan(1e-4);
    expect(relativeGap(last, optimum)).toBeGreaterThan(1e-2);
  });
});

/** Worker 0's model at the end of a run. */
function lastModel(s: Scenario): Float32Array {
  const { snapshots } = runCapturing(s, () => [s.stop.time! * 0.999]);
  return snapshots[0]![0]!;
}

/**
 * argmin Σ_i π_i f_i for least squares: the local gradients are affine, ∇f_i(x) = H_i x − c_i, so
 * probing them at 0 and at the unit vectors gives H_i and c_i; then solve Σπ_i H_i x = Σπ_i c_i.
 */
function weightedOptimum(weights: readonly number[]): Float64Array {
  const d = problemSpec.dimension;
  const rng = new RandomStreams(0).stream("unused");
  const g = kernels.alloc(d);
  const gradientAt = (w: number, x: Float32Array) => {
    reference.gradient(w, kernels.fromArray(x), g, rng);
    return Float64Array.from(g.data!);
  };
  const a = Array.from({ length: d }, () => new Float64Array(d + 1));
  weights.forEach((pi, w) => {
    const g0 = gradientAt(w, zeros());
    for (let j = 0; j < d; j++) {
      const e = zeros();
      e[j] = 1;
      const gj = gradientAt(w, e);
      for (let i = 0; i < d; i++) a[i]![j]! += pi * (gj[i]! - g0[i]!);
    }
    for (let i = 0; i < d; i++) a[i]![d]! -= pi * g0[i]!;
  });
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= d; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return Float64Array.from(a, (row, i) => row[d]! / row[i]!);
}
