import { describe, expect, it } from "vitest";
import { completeGraph, ringGraph, starGraph } from "../../sim/cluster/topology/classic-graphs.ts";
import { type Graph, graphFromEdges } from "../../sim/cluster/topology/graph.ts";
import { spectralConstants } from "../../sim/cluster/topology/spectra.ts";
import { timeVaryingGraph } from "../../sim/cluster/topology/time-varying.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import {
  applyDadaoCommEvent,
  applyDadaoGradientEvent,
  type DadaoNodeState,
  DadaoPropagator,
  dadaoConstants,
  dadaoEdgeRate,
  dadaoEventCoefficients,
  dadaoInitialState,
  dadaoOdeMatrix,
  dadaoRates,
  dadaoWorstCaseRates,
  propagateDadaoNode,
} from "../../sim/schedules/math/dadao.ts";
import { expm6 } from "../../sim/schedules/math/expm.ts";
import { simulateDadaoReference } from "./dadao-reference.ts";
import { matvec, maxAbs } from "./dense-oracles.ts";

function expectRelative(actual: number, expected: number, tolerance: number, label = ""): void {
  expect(Math.abs(actual - expected), `${label} ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance * Math.abs(expected),
  );
}

describe("DADAO constants (reference §2.3)", () => {
  it("μ = 2, L = 16, χ1* = 0.75: ν = 1, √(ν/L) = ¼, √(L/ν) = 4, all exact binary fractions", () => {
    expect(dadaoConstants({ mu: 2, L: 16, chi1Star: 0.75 })).toEqual({
      nu: 1,
      alpha: 1 / 16, // ¼·¼
      alphaTilde: 1 / 32, // ⅛·¼
      eta: 1 / 32,
      etaTilde: 1 / 32,
      theta: 2, // ½·4
      beta: 0.5,
      betaTilde: 6, // 2·0.75·4
      delta: 1 / 16,
      deltaTilde: 1,
      gamma: 1 / 64, // 1/(4·16)
      gammaTilde: 1 / 16, // 1/(4·√16)
    });
  });

  it("the notebook's μ = 1.21, L = 3.01, χ1* = 1 (star-300: χ1 = 299 = λ_mix)", () => {
    const c = dadaoConstants({ mu: 1.21, L: 3.01, chi1Star: 1 });
    // By hand: ν = 0.605, √(0.605/3.01) = 0.4483265302665723, √(3.01/0.605) = 2.230517117524599.
    const small = 0.4483265302665723;
    const large = 2.230517117524599;
    expectRelative(c.nu, 0.605, 1e-15);
    expectRelative(c.alpha, small / 4, 1e-14);
    expectRelative(c.alphaTilde, small / 8, 1e-14);
    expectRelative(c.eta, small / 8, 1e-14);
    expectRelative(c.theta, large / 2, 1e-14);
    expectRelative(c.betaTilde, 2 * large, 1e-14);
    expectRelative(c.gamma, 1 / 12.04, 1e-14);
    expectRelative(c.gammaTilde, 1 / (4 * Math.sqrt(1.82105)), 1e-14);
  });

  it("rejects non-positive inputs and L < μ", () => {
    expect(() => dadaoConstants({ mu: 0, L: 1, chi1Star: 1 })).toThrow(RangeError);
    expect(() => dadaoConstants({ mu: 1, L: Number.NaN, chi1Star: 1 })).toThrow(RangeError);
    expect(() => dadaoConstants({ mu: 1, L: 2, chi1Star: -1 })).toThrow(RangeError);
    expect(() => dadaoConstants({ mu: 2, L: 1, chi1Star: 1 })).toThrow(RangeError);
  });
});

describe("DADAO ODE matrix (reference §2.4)", () => {
  const c = dadaoConstants({ mu: 2, L: 16, chi1Star: 0.75 });

  it("has the code's 13 entries (x, x̃, y, ỹ, z, z̃ order) and zeros elsewhere", () => {
    // η = η̃ = α̃ = 1/32, α = 1/16, θ = 2, ν = 1.
    const expected = [
      [-1 / 32, 1 / 32, 0, 0, 0, 0],
      [1 / 32, -1 / 32, 0, 0, 0, 0],
      [0, 0, -1 / 16, 1 / 16, 0, 0],
      [0, -2, -2, 0, -2, 0],
      [0, 0, 0, 0, -1 / 16, 1 / 16],
      [0, 0, 0, 0, 1 / 32, -1 / 32],
    ].flat();
    expect(Array.from(dadaoOdeMatrix(c))).toEqual(expected);
  });

  it("its equilibria are consensus with y + z = −νx̃, and the flow leaves them fixed", () => {
    const m = dadaoOdeMatrix(c);
    for (const [x, z] of [
      [1, 0],
      [3, -2],
      [-0.5, 7],
    ] as const) {
      const s = [x, x, -c.nu * x - z, -c.nu * x - z, z, z];
      expect(maxAbs(matvec(m, s))).toBe(0);
      const after = matvec(expm6(m, 37.5), s);
      expect(maxAbs(after.map((v, i) => v - s[i]!))).toBeLessThan(1e-13 * maxAbs(s));
    }
  });
});

describe("DADAO rates (reference §2.7, §6.4)", () => {
  it("complete graph: χ1 = χ2 = (n−1)/2 on L_norm, so λ_mix = (n−1)/√2", () => {
    for (const n of [3, 5, 16, 300]) {
      const r = dadaoRates(completeGraph(n));
      expectRelative(r.chi1, (n - 1) / 2, 1e-12, `complete-${n} χ1`);
      expectRelative(r.chi2, (n - 1) / 2, 1e-12, `complete-${n} χ2`);
      expectRelative(r.mixRate, (n - 1) / Math.SQRT2, 1e-12, `complete-${n} λ_mix`);
      expect(r.gradientRate).toBe(n);
    }
  });

  it("star graph: χ1 = n−1, χ2 = (n−1)/2, so λ_mix = n−1 (299 at n = 300)", () => {
    for (const n of [3, 5, 16, 300]) {
      const r = dadaoRates(starGraph(n));
      expectRelative(r.chi1, n - 1, 1e-12, `star-${n} χ1`);
      expectRelative(r.chi2, (n - 1) / 2, 1e-12, `star-${n} χ2`);
      expectRelative(r.mixRate, n - 1, 1e-12, `star-${n} λ_mix`);
    }
  });

  it("star-300 over T = 300: (300 + 299)·300 = 179 700 expected events, χ1* = 1", () => {
    const r = dadaoRates(starGraph(300));
    expectRelative((r.gradientRate + r.mixRate) * 300, 179_700, 1e-12);
    expectRelative(r.chi1Star, 1, 1e-12);
  });

  it("χ1*·χ2* = ½, and χ1* is χ1 of the actual Λ with edges at λ_mix/|E|", () => {
    for (const g of [ringGraph(9), starGraph(7), completeGraph(6), grid(4)]) {
      const r = dadaoRates(g);
      expectRelative(r.chi1Star * r.chi2Star, 0.5, 1e-12);
      const actual = spectralConstants(g, dadaoEdgeRate(r, g));
      expectRelative(actual.chi1, r.chi1Star, 1e-10);
      expectRelative(actual.chi2, r.chi2Star, 1e-10);
    }
  });

  it("reproduces the DADAO column of §7.6 (edges per global gradient round, ⌊√(2χ1χ2)⌋)", () => {
    const table: [string, Graph, number][] = [
      ["star-300", starGraph(300), 299],
      ["complete-300", completeGraph(300), 211],
      ["cycle-300", ringGraph(300), 14_300],
      ["2D-grid-289", grid(17), 2_462],
      ["star-16", starGraph(16), 15],
      ["cycle-16", ringGraph(16), 39],
    ];
    for (const [name, g, expected] of table) {
      // λ_mix of a star is n − 1 exactly but comes out 14.999999999999998 for star-16: the floor
      // of the authors' formula is taken with a relative slack of 1e-12 (see the report, §8).
      expect(Math.floor(dadaoRates(g).mixRate * (1 + 1e-12)), name).toBe(expected);
    }
  });

  it("time-varying: worst cases over the sequence, each graph on its own L_norm; period 1/χ1", () => {
    const graphs = [ringGraph(8), starGraph(8), completeGraph(8)];
    const r = dadaoWorstCaseRates(timeVaryingGraph(graphs, 1));
    const each = graphs.map((g) => dadaoRates(g));
    expect(r.chi1).toBe(Math.max(...each.map((e) => e.chi1)));
    expect(r.chi2).toBe(Math.max(...each.map((e) => e.chi2)));
    expectRelative(r.mixRate, Math.sqrt(2 * r.chi1 * r.chi2), 1e-15);
    expect(r.graphPeriod).toBe(1 / r.chi1);
    expect(r.gradientRate).toBe(8);
  });
});

describe("DADAO event kernels (reference §2.5, §2.6)", () => {
  const c = dadaoConstants({ mu: 2, L: 16, chi1Star: 0.75 });
  const state = (values: number[][]): DadaoNodeState => {
    const [x, xTilde, y, yTilde, z, zTilde] = values.map((v) => Float64Array.from(v));
    return { x: x!, xTilde: xTilde!, y: y!, yTilde: yTilde!, z: z!, zTilde: zTilde! };
  };

  it("initial state: x = x0 (copied), the five others 0 (reference §2.2)", () => {
    const x0 = [1.5, -2];
    const s = dadaoInitialState(x0);
    expect(s).toEqual(state([x0, [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]));
    s.x[0] = 9;
    expect(x0[0]).toBe(1.5);
  });

  it("gradient event: g = ∇f − νx − ỹ; x −= γg, x̃ −= γ̃g, ỹ += (δ + δ̃)g; y, z, z̃ untouched", () => {
    const s = state([[3], [5], [7], [2], [11], [13]]);
    applyDadaoGradientEvent(c, s, [9]);
    // g = 9 − 1·3 − 2 = 4; γ = 1/64, γ̃ = 1/16, δ + δ̃ = 17/16.
    expect(s).toEqual(state([[3 - 4 / 64], [5 - 4 / 16], [7], [2 + 4 * (17 / 16)], [11], [13]]));
  });

  it("communication event: m = (y_i + z_i) − (y_j + z_j); z, z̃ jump by ∓β·m, ∓β̃·m; Σz and Σz̃ kept", () => {
    const si = state([[1], [2], [3], [4], [5], [6]]);
    const sj = state([[10], [20], [-1], [40], [2], [60]]);
    applyDadaoCommEvent(c, si, sj);
    // m = (3 + 5) − (−1 + 2) = 7; β = ½, β̃ = 6.
    expect(si).toEqual(state([[1], [2], [3], [4], [5 - 3.5], [6 - 42]]));
    expect(sj).toEqual(state([[10], [20], [-1], [40], [2 + 3.5], [60 + 42]]));
  });

  it("the coefficient form reproduces both kernels with plain axpy", () => {
    const k = dadaoEventCoefficients(c);
    const random = new RandomStreams(3).stream("kernels");
    const d = 5;
    const draw = () =>
      state(Array.from({ length: 6 }, () => Array.from({ length: d }, () => random.normal())));
    const a = draw();
    const grad = Array.from({ length: d }, () => random.normal());
    const copy = structuredClone(a);
    applyDadaoGradientEvent(c, a, grad);
    for (let i = 0; i < d; i++) {
      const g = grad[i]! + k.gradX * copy.x[i]! + k.gradYTilde * copy.yTilde[i]!;
      copy.x[i]! += k.xStep * g;
      copy.xTilde[i]! += k.xTildeStep * g;
      copy.yTilde[i]! += k.yTildeStep * g;
    }
    expect(maxAbs(a.x.map((v, i) => v - copy.x[i]!))).toBeLessThan(1e-15);
    expect(maxAbs(a.xTilde.map((v, i) => v - copy.xTilde[i]!))).toBeLessThan(1e-15);
    expect(maxAbs(a.yTilde.map((v, i) => v - copy.yTilde[i]!))).toBeLessThan(1e-14);

    const si = draw();
    const sj = draw();
    const ci = structuredClone(si);
    const cj = structuredClone(sj);
    applyDadaoCommEvent(c, si, sj);
    for (let i = 0; i < d; i++) {
      const m = ci.y[i]! + ci.z[i]! - (cj.y[i]! + cj.z[i]!);
      ci.z[i]! += k.zStep * m;
      ci.zTilde[i]! += k.zTildeStep * m;
      cj.z[i]! -= k.zStep * m;
      cj.zTilde[i]! -= k.zTildeStep * m;
    }
    expect(si).toEqual(ci);
    expect(sj).toEqual(cj);
  });

  it("propagateDadaoNode applies expm(M·dt) to every coordinate's 6-vector (1e-15 relative)", () => {
    const propagator = new DadaoPropagator(c);
    const random = new RandomStreams(4).stream("propagate");
    const d = 4;
    const s = state(Array.from({ length: 6 }, () => Array.from({ length: d }, () => random.normal())));
    const before = structuredClone(s);
    const dt = 3.7;
    propagator.advance(s, dt);
    const p = expm6(dadaoOdeMatrix(c), dt);
    const keys = ["x", "xTilde", "y", "yTilde", "z", "zTilde"] as const;
    for (let k = 0; k < d; k++) {
      const expected = matvec(
        p,
        keys.map((key) => before[key][k]!),
      );
      const actual = keys.map((key) => s[key][k]!);
      expect(maxAbs(actual.map((v, i) => v - expected[i]!))).toBeLessThanOrEqual(1e-15 * maxAbs(expected));
    }
    // dt = 0 is a no-op; a negative dt is a bug in the caller.
    const frozen = structuredClone(s);
    propagator.advance(s, 0);
    expect(s).toEqual(frozen);
    expect(() => propagator.at(-1)).toThrow(RangeError);
    // The explicit form of the same call.
    const t = structuredClone(frozen);
    propagateDadaoNode(propagator.at(1), t);
    propagator.advance(frozen, 1);
    expect(t).toEqual(frozen);
  });
});

describe("DADAO end to end on quadratics (reference §2.10, §7.5, §7.7)", () => {
  /** f_i(x) = ½·a_i·‖x − b_i‖² with a_i in [μ, L] (both ends used): x* = Σ a_i b_i / Σ a_i. */
  function problem(n: number, d: number, mu: number, L: number, seed: number) {
    const random = new RandomStreams(seed).stream("problem");
    const a = Array.from({ length: n }, (_, i) =>
      i === 0 ? mu : i === 1 ? L : mu + (L - mu) * random.uniform(),
    );
    const b = Array.from({ length: n }, () => Array.from({ length: d }, () => 129 + 30 * random.normal()));
    const total = a.reduce((x, y) => x + y, 0);
    const optimum = Array.from(
      { length: d },
      (_, k) => a.reduce((sum, ai, i) => sum + ai * b[i]![k]!, 0) / total,
    );
    const gradient = (i: number, x: Float64Array, out: Float64Array) => {
      for (let k = 0; k < d; k++) out[k] = a[i]! * (x[k]! - b[i]![k]!);
    };
    return { optimum, gradient };
  }

  function run(g: Graph, mu: number, L: number, tMax: number, seed: number) {
    const d = 2;
    const { optimum, gradient } = problem(g.n, d, mu, L, 7);
    const rates = dadaoRates(g);
    const result = simulateDadaoReference({
      graph: g,
      constants: dadaoConstants({ mu, L, chi1Star: rates.chi1Star }),
      gradientRate: rates.gradientRate,
      mixRate: rates.mixRate,
      tMax,
      x0: new Float64Array(d),
      gradient,
      random: new RandomStreams(seed).stream("events"),
    });
    let worst = 0;
    const mean = new Float64Array(d);
    for (const s of result.states) {
      for (let k = 0; k < d; k++) {
        worst = Math.max(worst, Math.abs(s.x[k]! - optimum[k]!) / Math.abs(optimum[k]!));
        mean[k]! += s.x[k]! / g.n;
      }
    }
    const meanError = Math.max(...optimum.map((o, k) => Math.abs(mean[k]! - o) / Math.abs(o)));
    return { ...result, rates, worst, meanError };
  }

  it("every node reaches x* (ring-8 and star-16, κ = 3, T = 400) to 1e-6 relative", () => {
    for (const g of [ringGraph(8), starGraph(16)]) {
      const r = run(g, 1, 3, 400, 1);
      expect(r.worst, `n = ${g.n}`).toBeLessThan(1e-6);
    }
  });

  it("does not converge with the communication jumps switched off (the test can fail)", () => {
    const g = ringGraph(8);
    const { optimum, gradient } = problem(8, 2, 1, 3, 7);
    const rates = dadaoRates(g);
    const constants = { ...dadaoConstants({ mu: 1, L: 3, chi1Star: rates.chi1Star }), beta: 0, betaTilde: 0 };
    const result = simulateDadaoReference({
      graph: g,
      constants,
      gradientRate: rates.gradientRate,
      mixRate: rates.mixRate,
      tMax: 400,
      x0: new Float64Array(2),
      gradient,
      random: new RandomStreams(1).stream("events"),
    });
    const worst = Math.max(
      ...result.states.flatMap((s) => optimum.map((o, k) => Math.abs(s.x[k]! - o) / Math.abs(o))),
    );
    expect(worst).toBeGreaterThan(1e-2);
  });

  it("star-300, notebook constants (μ = 1.21, L = 3.01), T = 300: counts within 3σ, x̄ = x* to 1e-7", () => {
    const r = run(starGraph(300), 1.21, 3.01, 300, 1);
    const expectedGradients = 300 * 300;
    const expectedComms = 299 * 300;
    // The run stops when either stream passes t_max, so both counts are Poisson(λT) up to one event.
    expect(Math.abs(r.gradients - expectedGradients)).toBeLessThan(3 * Math.sqrt(expectedGradients) + 1);
    expect(Math.abs(r.communications - expectedComms)).toBeLessThan(3 * Math.sqrt(expectedComms) + 1);
    expect(Math.abs(r.gradients + r.communications - 179_700)).toBeLessThan(3 * Math.sqrt(179_700) + 1);
    // The notebook's x̄ matches sklearn's x* to 8 digits; every node here is within 1e-5.
    expect(r.meanError).toBeLessThan(1e-7);
    expect(r.worst).toBeLessThan(1e-5);
  });
});

/** The k × k grid (not a torus): networkx's grid_2d_graph, used by the authors. */
function grid(k: number): Graph {
  const edges: [number, number][] = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const v = i * k + j;
      if (j + 1 < k) edges.push([v, v + 1]);
      if (i + 1 < k) edges.push([v, v + k]);
    }
  }
  return graphFromEdges(k * k, edges);
}
