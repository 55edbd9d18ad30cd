import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { ringGraph } from "../../sim/cluster/topology/classic-graphs.ts";
import { exponentialEdgeRates, exponentialGraph } from "../../sim/cluster/topology/exponential-graph.ts";
import type { Graph } from "../../sim/cluster/topology/graph.ts";
import {
  denseLaplacian,
  type EdgeRates,
  gossipConstants,
  spectralConstants,
  uniformGossipRate,
} from "../../sim/cluster/topology/spectra.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import {
  A2cid2MeanPropagator,
  a2cid2Constants,
  a2cid2ModeEigenvalues,
  applyA2cid2Pair,
  applyA2cid2Receive,
  applyMix,
  expectedDynamicsMatrix,
  mixCoefficients,
  slowestConsensusDecay,
} from "../../sim/schedules/math/a2cid2.ts";
import { GossipMeanPropagator } from "../../sim/schedules/math/gossip.ts";
import { symmetricEigen } from "../../sim/schedules/math/symmetric-eigen.ts";
import { matvec, maxAbs, relativeError, rk4 } from "./dense-oracles.ts";

/** Equal to a table's printed digits: within half a unit of the last printed place. */
function expectPrinted(actual: number, printed: string, label = ""): void {
  const decimals = printed.split(".")[1]?.length ?? 0;
  // (The slack covers ties printed rounded up, like 31/32 = 0.96875 shown as 0.9688.)
  const halfUnit = 0.5 * 10 ** -decimals * (1 + 1e-9);
  expect(Math.abs(actual - Number(printed)), `${label}: ${actual} vs ${printed}`).toBeLessThanOrEqual(
    halfUnit,
  );
}

function expectRelative(actual: number, expected: number, tolerance: number, label = ""): void {
  expect(Math.abs(actual - expected), `${label} ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance * Math.abs(expected),
  );
}

interface Setting {
  readonly name: string;
  readonly graph: Graph;
  readonly rates: EdgeRates;
}

/** The A²CiD² code's Λ: ring edges at r/2 (every worker at rate r); exponential graph per `compute_laplacian`. */
function cycle(n: number, r: number): Setting {
  const graph = ringGraph(n);
  return { name: `cycle-${n} r=${r}`, graph, rates: uniformGossipRate(graph, r) };
}
function exponential(n: number, r: number): Setting {
  const graph = exponentialGraph(n);
  return { name: `exponential-${n} r=${r}`, graph, rates: exponentialEdgeRates(graph, r) };
}

describe("A²CiD² constants (reference §3.2, table §3.6)", () => {
  // graph, n, r, η, α̃, √(χ1/χ2), baseline λ2/2, as printed.
  const table: [Setting, string, string, string, string][] = [
    [cycle(8, 1), "0.2893", "0.988", "1.98", "0.1464"],
    [cycle(16, 1), "0.1425", "1.872", "3.74", "0.0381"],
    [cycle(32, 1), "0.0704", "3.665", "7.33", "0.00961"],
    // The table prints √(χ1/χ2) = 14.53 for cycle-64; it is 14.5248 (= 2α̃, and its own α̃ column
    // says 7.262), so the printed digit is off by one. Checked against the correct value.
    [cycle(64, 1), "0.03497", "7.262", "14.52", "0.00241"],
    [cycle(64, 2), "0.06994", "7.262", "14.52", "0.00482"],
    [exponential(16, 1), "0.3519", "0.704", "1.41", "0.25"],
    [exponential(32, 1), "0.3127", "0.782", "1.56", "0.20"],
    [exponential(64, 1), "0.2853", "0.856", "1.71", "0.1667"],
  ];

  it("η = 1/(2√(χ1χ2)) and α̃ = ½√(χ1/χ2) match every row to the printed digits", () => {
    for (const [setting, eta, alphaTilde, ratio, baseline] of table) {
      const { chi1, chi2, lambda2 } = spectralConstants(setting.graph, setting.rates);
      const c = a2cid2Constants(chi1, chi2);
      expectPrinted(c.eta, eta, `${setting.name} η`);
      expectPrinted(c.alphaTilde, alphaTilde, `${setting.name} α̃`);
      expectPrinted(Math.sqrt(chi1 / chi2), ratio, `${setting.name} √(χ1/χ2)`);
      expectPrinted(lambda2 / 2, baseline, `${setting.name} λ2/2`);
      expect(c.alpha).toBe(0.5);
    }
  });

  it("the ring through gossipConstants(g, r) gives the same η and α̃ as explicit rates r/2", () => {
    for (const [n, r] of [
      [16, 1],
      [64, 2],
    ] as const) {
      const viaWorkerRate = gossipConstants(ringGraph(n), r);
      const viaEdges = spectralConstants(ringGraph(n), r / 2);
      expect(a2cid2Constants(viaWorkerRate.chi1, viaWorkerRate.chi2)).toEqual(
        a2cid2Constants(viaEdges.chi1, viaEdges.chi2),
      );
    }
  });

  it("doubling the rate doubles η and leaves α̃ unchanged (§7.1)", () => {
    for (const make of [cycle, exponential]) {
      const one = make(64, 1);
      const two = make(64, 2);
      const c1 = spectralConstants(one.graph, one.rates);
      const c2 = spectralConstants(two.graph, two.rates);
      const a1 = a2cid2Constants(c1.chi1, c1.chi2);
      const a2 = a2cid2Constants(c2.chi1, c2.chi2);
      expectRelative(a2.eta, 2 * a1.eta, 1e-12);
      expectRelative(a2.alphaTilde, a1.alphaTilde, 1e-12);
    }
  });

  it("rejects non-positive χ's", () => {
    expect(() => a2cid2Constants(0, 1)).toThrow(RangeError);
    expect(() => a2cid2Constants(1, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("A²CiD² mixing between events (reference §3.2)", () => {
  it("a + b = 1, a = 1 and b = 0 at τ = 0, and b keeps full precision for tiny ητ", () => {
    expect(mixCoefficients(0.3, 0)).toEqual({ a: 1, b: 0 });
    for (const [eta, tau] of [
      [0.03497, 1],
      [0.2853, 0.37],
      [1, 50],
      [2, 1e-3],
    ] as const) {
      const { a, b } = mixCoefficients(eta, tau);
      expect(Math.abs(a + b - 1)).toBeLessThanOrEqual(Number.EPSILON);
      expect(a).toBeGreaterThanOrEqual(0.5);
      expect(b).toBeLessThanOrEqual(0.5);
    }
    // b = (1 − e^{−2x})/2 = x − x² + … for x = ητ = 1e-12; 1 − Math.exp(−2e-12) keeps only 4 digits.
    const { b } = mixCoefficients(1e-6, 1e-6);
    expectRelative(b, 1e-12 - 1e-24, 1e-15);
  });

  it("matches RK4 on dx/dt = η(x̃ − x), dx̃/dt = η(x − x̃) (20 000 steps, 1e-12), and conserves x + x̃", () => {
    const random = new RandomStreams(5).stream("mix");
    for (const [eta, tau] of [
      [0.03497, 7],
      [0.1425, 1],
      [0.2853, 10],
      [1.5, 2],
    ] as const) {
      const x0 = [random.normal(), random.normal()];
      const oracle = rk4([-eta, eta, eta, -eta], x0, tau, 20_000);
      const x = Float64Array.of(x0[0]!);
      const xTilde = Float64Array.of(x0[1]!);
      applyMix(mixCoefficients(eta, tau), x, xTilde);
      expect(relativeError([x[0]!, xTilde[0]!], oracle), `η = ${eta}, τ = ${tau}`).toBeLessThan(1e-12);
      expect(Math.abs(x[0]! + xTilde[0]! - (x0[0]! + x0[1]!))).toBeLessThanOrEqual(
        4 * Number.EPSILON * maxAbs(x0),
      );
      // x − x̃ decays as e^{−2ητ}.
      expectRelative(x[0]! - xTilde[0]!, (x0[0]! - x0[1]!) * Math.exp(-2 * eta * tau), 1e-13);
    }
  });

  it("mixing over τ1 then τ2 is mixing over τ1 + τ2 (1e-15)", () => {
    const x = Float64Array.of(1, -2, 3.5);
    const xTilde = Float64Array.of(0, 4, -1);
    const x2 = Float64Array.from(x);
    const xTilde2 = Float64Array.from(xTilde);
    applyMix(mixCoefficients(0.2, 1.3), x, xTilde);
    applyMix(mixCoefficients(0.2, 2.1), x, xTilde);
    applyMix(mixCoefficients(0.2, 3.4), x2, xTilde2);
    expect(relativeError([...x, ...xTilde], [...x2, ...xTilde2])).toBeLessThan(1e-15);
  });
});

describe("A²CiD² communication kernels (reference §3.2, §3.3)", () => {
  const c = a2cid2Constants(13.137, 0.9375);

  it("the pair update averages x, moves x̃ by ∓α̃(x_i − x_j) and conserves Σx, Σx̃", () => {
    const xi = Float64Array.of(4, -1);
    const xj = Float64Array.of(0, 3);
    const ti = Float64Array.of(1, 1);
    const tj = Float64Array.of(-2, 0.5);
    applyA2cid2Pair(c, xi, ti, xj, tj);
    expect(Array.from(xi)).toEqual([2, 1]);
    expect(Array.from(xj)).toEqual([2, 1]);
    expect(ti[0]).toBeCloseTo(1 - c.alphaTilde * 4, 14);
    expect(tj[0]).toBeCloseTo(-2 + c.alphaTilde * 4, 14);
    expect(ti[1]! + tj[1]!).toBeCloseTo(1.5, 14);
  });

  it("two receives with the peers' old x equal the pair update (the theory's symmetric exchange)", () => {
    const random = new RandomStreams(6).stream("receive");
    const draw = () => Float64Array.from({ length: 5 }, () => random.normal());
    const [xi, ti, xj, tj] = [draw(), draw(), draw(), draw()];
    const [xi2, ti2, xj2, tj2] = [xi, ti, xj, tj].map((v) => Float64Array.from(v)) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    applyA2cid2Pair(c, xi, ti, xj, tj);
    const sentByJ = Float64Array.from(xj2);
    applyA2cid2Receive(c, xj2, tj2, xi2);
    applyA2cid2Receive(c, xi2, ti2, sentByJ);
    expect(relativeError([...xi2, ...ti2, ...xj2, ...tj2], [...xi, ...ti, ...xj, ...tj])).toBeLessThan(1e-15);
  });
});

/** Eigenvalues of a dense row-major square matrix by ml-matrix (general, non-symmetric). */
function eigenvaluesOf(a: Float64Array, size: number): { re: number[]; im: number[] } {
  const m = new Matrix(
    Array.from({ length: size }, (_, i) => Array.from(a.subarray(i * size, (i + 1) * size))),
  );
  const e = new EigenvalueDecomposition(m);
  return { re: e.realEigenvalues, im: e.imaginaryEigenvalues };
}

/** The slowest consensus decay of A from its eigenvalues: smallest |Re| once the one nearest 0 is left out. */
function slowestDecayOfMatrix(a: Float64Array, size: number): { slowest: number; zero: number } {
  const decays = eigenvaluesOf(a, size)
    .re.map((v) => Math.abs(v))
    .sort((x, y) => x - y);
  return { zero: decays[0]!, slowest: decays[1]! };
}

describe("A²CiD² expected dynamics (reference §6.3)", () => {
  // Name, setting, the table's η (the predicted slowest decay) and baseline λ2/2.
  const cases: [Setting, string, string][] = [
    [cycle(16, 1), "0.1425", "0.0381"],
    [cycle(64, 1), "0.03497", "0.00241"],
    [exponential(64, 1), "0.2853", "0.1667"],
  ];

  it("A = [[−ηI − Λ/2, ηI], [ηI − α̃Λ, −ηI]] on a single edge, entry by entry", () => {
    const c = { eta: 0.25, alphaTilde: 2, alpha: 0.5 };
    // Λ = 3·[[1, −1], [−1, 1]].
    const a = expectedDynamicsMatrix([3, -3, -3, 3], c);
    expect(Array.from(a)).toEqual([
      -1.75, 1.5, 0.25, 0, 1.5, -1.75, 0, 0.25, -5.75, 6, -0.25, 0, 6, -5.75, 0, -0.25,
    ]);
  });

  it("the slowest consensus mode decays at η (cycle-16, cycle-64, exponential-64), ml-matrix on the full A", () => {
    for (const [setting, eta, baseline] of cases) {
      const { chi1, chi2, lambda2 } = spectralConstants(setting.graph, setting.rates);
      const c = a2cid2Constants(chi1, chi2);
      const laplacian = denseLaplacian(setting.graph, setting.rates);
      const size = 2 * setting.graph.n;
      const a = expectedDynamicsMatrix(laplacian, c);
      const { slowest, zero } = slowestDecayOfMatrix(a, size);
      expect(zero).toBeLessThan(1e-12);
      expectPrinted(slowest, eta, `${setting.name} slowest decay`);
      expectRelative(slowest, c.eta, 1e-9, `${setting.name} slowest = η`);
      // Without A²CiD², E[x] follows −Λ/2: its slowest mode is λ2/2 (symmetric eigenvalues of Λ).
      const baselineDecay = slowestDecayOfMatrix(
        laplacian.map((v) => -v / 2),
        setting.graph.n,
      ).slowest;
      expectPrinted(baselineDecay, baseline, `${setting.name} baseline`);
      expectRelative(baselineDecay, lambda2 / 2, 1e-9);
      // The acceleration is exactly √(χ1/χ2).
      expectRelative(slowest / baselineDecay, Math.sqrt(chi1 / chi2), 1e-9);
    }
  });

  it("the structured spectrum (2 × 2 block per Laplacian mode) equals ml-matrix's spectrum of A", () => {
    for (const setting of [cycle(16, 1), exponential(16, 1), cycle(64, 1), exponential(64, 1)]) {
      const { chi1, chi2 } = spectralConstants(setting.graph, setting.rates);
      const c = a2cid2Constants(chi1, chi2);
      const laplacian = denseLaplacian(setting.graph, setting.rates);
      const size = 2 * setting.graph.n;
      const general = eigenvaluesOf(expectedDynamicsMatrix(laplacian, c), size);
      const lambdas = symmetricEigen(laplacian).values;
      const structured = a2cid2ModeEigenvalues(lambdas, c);
      const scale = Math.max(...general.re.map(Math.abs));
      const used = new Array<boolean>(size).fill(false);
      for (let k = 0; k < size; k++) {
        let best = -1;
        let bestDistance = Number.POSITIVE_INFINITY;
        for (let m = 0; m < size; m++) {
          if (used[m]) continue;
          const distance = Math.hypot(structured.re[k]! - general.re[m]!, structured.im[k]! - general.im[m]!);
          if (distance < bestDistance) {
            bestDistance = distance;
            best = m;
          }
        }
        used[best] = true;
        // Double eigenvalues (the ring's ±k modes) are only found to √ε by a general solver.
        expect(bestDistance, `${setting.name} eigenvalue ${k}`).toBeLessThan(1e-7 * scale);
      }
      expectRelative(slowestConsensusDecay(lambdas, c), c.eta, 1e-12, setting.name);
    }
  });

  it("the x + x̃ mode: A·(1, 1) = 0 and A·(1, −1) = −2η·(1, −1); ml-matrix finds 0 and −2η", () => {
    const setting = cycle(16, 1);
    const { chi1, chi2 } = spectralConstants(setting.graph, setting.rates);
    const c = a2cid2Constants(chi1, chi2);
    const n = setting.graph.n;
    const a = expectedDynamicsMatrix(denseLaplacian(setting.graph, setting.rates), c);
    const ones = new Array<number>(2 * n).fill(1);
    const alternating = ones.map((_, i) => (i < n ? 1 : -1));
    expect(maxAbs(matvec(a, ones))).toBeLessThan(1e-15);
    expect(maxAbs(matvec(a, alternating).map((v, i) => v + 2 * c.eta * alternating[i]!))).toBeLessThan(1e-15);
    const { re, im } = eigenvaluesOf(a, 2 * n);
    const near = (target: number) =>
      re.some((v, i) => Math.abs(v - target) < 1e-10 && Math.abs(im[i]!) < 1e-10);
    expect(near(0)).toBe(true);
    expect(near(-2 * c.eta)).toBe(true);
    // The structured form puts exactly these two at the zero Laplacian mode.
    const modes = a2cid2ModeEigenvalues([0, 1], c);
    expect([modes.re[0], modes.re[1]]).toEqual([0, -2 * c.eta]);
  });

  it("A2cid2MeanPropagator = expm(At)·z0, against RK4 on the full A (ring-6, exponential-8; 1e-10)", () => {
    const random = new RandomStreams(8).stream("mean");
    for (const setting of [cycle(6, 1), exponential(8, 2)]) {
      const { chi1, chi2 } = spectralConstants(setting.graph, setting.rates);
      const c = a2cid2Constants(chi1, chi2);
      const laplacian = denseLaplacian(setting.graph, setting.rates);
      const n = setting.graph.n;
      const a = expectedDynamicsMatrix(laplacian, c);
      const propagator = new A2cid2MeanPropagator(laplacian, c);
      const x0 = Array.from({ length: n }, () => random.normal());
      const xt0 = Array.from({ length: n }, () => random.normal());
      for (const t of [0, 0.5, 4, 20]) {
        const { x, xTilde } = propagator.mean(x0, xt0, t);
        const oracle = rk4(a, [...x0, ...xt0], t, Math.max(1, Math.ceil(t * 2000)));
        expect(relativeError([...x, ...xTilde], oracle), `${setting.name}, t = ${t}`).toBeLessThan(1e-10);
      }
      // Σx + Σx̃ is conserved (the x + x̃ mode).
      const { x, xTilde } = propagator.mean(x0, xt0, 30);
      const total = (v: ArrayLike<number>) => Array.from(v).reduce((s, w) => s + w, 0);
      expect(Math.abs(total(x) + total(xTilde) - total(x0) - total(xt0))).toBeLessThan(1e-12 * n);
    }
  });

  it("with η = α̃ = 0, the x part is plain gossip's expm(−Λt/2)·x0", () => {
    const setting = exponential(8, 1);
    const laplacian = denseLaplacian(setting.graph, setting.rates);
    const x0 = [3, -1, 4, 1, -5, 9, 2, -6];
    const a2 = new A2cid2MeanPropagator(laplacian, { eta: 0, alphaTilde: 0, alpha: 0.5 });
    const plain = new GossipMeanPropagator(laplacian);
    for (const t of [0.3, 2, 9]) {
      expect(relativeError(a2.mean(x0, new Array(8).fill(0), t).x, plain.mean(x0, t))).toBeLessThan(1e-14);
    }
  });
});
