import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CpuKernels } from "../../../kernels/cpu.ts";
import { completeGraph, pathGraph, starGraph } from "../../../sim/cluster/topology/classic-graphs.ts";
import { gossipGraphOf } from "../../../sim/cluster/topology/gossip-graph.ts";
import { timeVaryingGraph } from "../../../sim/cluster/topology/time-varying.ts";
import { RandomStreams } from "../../../sim/engine/random.ts";
import { buildProblem } from "../../../sim/scenario/registry/problem-kinds.ts";
import { DadaoCore, type DadaoStack, dadao, dadaoSetup } from "../../../sim/schedules/dadao.ts";
import {
  applyDadaoGradientEvent,
  dadaoConstants,
  dadaoInitialState,
  dadaoRates,
} from "../../../sim/schedules/math/dadao.ts";
import { expm6 } from "../../../sim/schedules/math/expm.ts";

/**
 * DadaoCore on CPU (float32) vectors, without an engine: the exact ODE integration, the two event
 * updates and the model read; and the set-up of constants and rates. Float32 bounds: one rounding
 * (2⁻²⁴ ≈ 6e-8 relative) per stored value; the bounds below allow ~100 of them.
 */

const kernels = new CpuKernels();

function randomStack(values: readonly number[], d: number): DadaoStack {
  const v = (k: number) => kernels.fromArray(values.slice(k * d, (k + 1) * d));
  return [v(0), v(1), v(2), v(3), v(4), v(5)];
}

function numbers(s: DadaoStack): number[][] {
  return s.map((v) => Array.from(v.data!));
}

function maxAbs(rows: readonly (readonly number[])[]): number {
  return Math.max(...rows.flat().map(Math.abs));
}

/** Constants of a random strongly convex problem (κ up to 100) and a random χ1*. */
const constantsArb = fc
  .record({
    mu: fc.double({ min: 0.1, max: 10, noNaN: true }),
    kappa: fc.double({ min: 1, max: 100, noNaN: true }),
    chi1Star: fc.double({ min: 0.05, max: 20, noNaN: true }),
  })
  .map(({ mu, kappa, chi1Star }) => dadaoConstants({ mu, L: mu * kappa, chi1Star }));

const d = 3;
/** Entries in [−10, 10] on a 1e-5 grid: no float32 subnormals, whose relative rounding is unbounded. */
const entryArb = fc.integer({ min: -1_000_000, max: 1_000_000 }).map((i) => i / 100_000);
const stateArb = fc.array(entryArb, { minLength: 6 * d, maxLength: 6 * d });

describe("DadaoCore: exact integration between events (reference §2.4)", () => {
  it("integrating over Δt equals integrating over Δt/2 twice (and the float64 expm(MΔt)·s)", () => {
    fc.assert(
      fc.property(
        constantsArb,
        stateArb,
        fc.double({ min: 1e-3, max: 50, noNaN: true }),
        (constants, values, dt) => {
          const once = new DadaoCore(kernels, [randomStack(values, d)], constants, Float64Array.of(1));
          const twice = new DadaoCore(kernels, [randomStack(values, d)], constants, Float64Array.of(1));
          once.advance(0, dt);
          twice.advance(0, dt / 2);
          expect(twice.last[0]).toBe(dt / 2);
          twice.advance(0, dt);
          expect(once.last[0]).toBe(dt);
          // Oracle: the float64 product with the float64 exponential of the start state.
          const e = expm6(once.matrix, dt);
          const start = Array.from({ length: 6 }, (_, r) =>
            values.slice(r * d, (r + 1) * d).map(Math.fround),
          );
          const exact = Array.from({ length: 6 }, (_, r) =>
            Array.from({ length: d }, (_, k) =>
              start.reduce((sum, row, c) => sum + e[r * 6 + c]! * row[k]!, 0),
            ),
          );
          const scale = Math.max(maxAbs(exact), maxAbs(start));
          const a = numbers(once.stack(0));
          const b = numbers(twice.stack(0));
          for (let r = 0; r < 6; r++) {
            for (let k = 0; k < d; k++) {
              expect(Math.abs(a[r]![k]! - b[r]![k]!)).toBeLessThanOrEqual(1e-5 * scale);
              expect(Math.abs(a[r]![k]! - exact[r]![k]!)).toBeLessThanOrEqual(1e-5 * scale);
            }
          }
        },
      ),
      { seed: 1, numRuns: 200 },
    );
  });

  it("a worker's time unit rescales elapsed seconds (systems mode: one unit = one mean gradient)", () => {
    const constants = dadaoConstants({ mu: 1, L: 4, chi1Star: 2 });
    const values = Array.from({ length: 6 * d }, (_, i) => Math.sin(i + 1) * 3);
    const seconds = new DadaoCore(kernels, [randomStack(values, d)], constants, Float64Array.of(0.25));
    const units = new DadaoCore(kernels, [randomStack(values, d)], constants, Float64Array.of(1));
    seconds.advance(0, 0.75); // 3 units of 0.25 s
    units.advance(0, 3);
    expect(numbers(seconds.stack(0))).toEqual(numbers(units.stack(0)));
    // And it did move: the state is not the initial one.
    expect(numbers(units.stack(0))).not.toEqual(numbers(randomStack(values, d)));
  });

  it("refuses to integrate backwards; Δt = 0 leaves everything bit for bit", () => {
    const constants = dadaoConstants({ mu: 1, L: 4, chi1Star: 2 });
    const values = Array.from({ length: 6 * d }, (_, i) => i - 7.5);
    const core = new DadaoCore(kernels, [randomStack(values, d)], constants, Float64Array.of(1));
    core.advance(0, 2);
    const before = numbers(core.stack(0));
    core.advance(0, 2);
    expect(numbers(core.stack(0))).toEqual(before);
    expect(() => core.advance(0, 1)).toThrow(RangeError);
  });

  it("model(w, now) is x integrated to now, and leaves the state and the last-event time untouched", () => {
    fc.assert(
      fc.property(
        constantsArb,
        stateArb,
        fc.double({ min: 0, max: 50, noNaN: true }),
        (constants, values, t) => {
          const core = new DadaoCore(kernels, [randomStack(values, d)], constants, Float64Array.of(1));
          const before = numbers(core.stack(0));
          const out = kernels.alloc(d);
          core.model(0, t, out);
          expect(numbers(core.stack(0))).toEqual(before);
          expect(core.last[0]).toBe(0);
          core.advance(0, t);
          const x = Array.from(core.stack(0)[0].data!);
          const scale = Math.max(maxAbs(before), 1e-30);
          for (let k = 0; k < d; k++)
            expect(Math.abs(out.data![k]! - x[k]!)).toBeLessThanOrEqual(1e-5 * scale);
        },
      ),
      { seed: 2, numRuns: 200 },
    );
  });
});

describe("DadaoCore: events (reference §2.5, §2.6)", () => {
  it("gradient jump: the float32 kernels match the float64 reference applyDadaoGradientEvent", () => {
    fc.assert(
      fc.property(
        constantsArb,
        stateArb,
        fc.array(entryArb, { minLength: d, maxLength: d }),
        (constants, values, grad) => {
          const core = new DadaoCore(kernels, [randomStack(values, d)], constants, Float64Array.of(1));
          const g = kernels.fromArray(grad);
          core.gradientJump(0, g);
          const s = core.stack(0);
          const rows = Array.from({ length: 6 }, (_, r) =>
            Float64Array.from(values.slice(r * d, (r + 1) * d), Math.fround),
          );
          const reference = dadaoInitialState(rows[0]!);
          reference.xTilde.set(rows[1]!);
          reference.y.set(rows[2]!);
          reference.yTilde.set(rows[3]!);
          reference.z.set(rows[4]!);
          reference.zTilde.set(rows[5]!);
          applyDadaoGradientEvent(constants, reference, Float64Array.from(grad, Math.fround));
          const expected = [
            reference.x,
            reference.xTilde,
            reference.y,
            reference.yTilde,
            reference.z,
            reference.zTilde,
          ];
          const scale = Math.max(maxAbs(expected.map((e) => Array.from(e))), maxAbs([values, grad]));
          for (let r = 0; r < 6; r++) {
            for (let k = 0; k < d; k++) {
              expect(Math.abs(s[r]!.data![k]! - expected[r]![k]!)).toBeLessThanOrEqual(1e-5 * scale);
            }
          }
          // y, z, z̃ do not jump at a gradient event: bit for bit.
          for (const r of [2, 4, 5]) expect(Array.from(s[r]!.data!)).toEqual(Array.from(rows[r]!));
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });

  it("communications conserve Σz and Σz̃, equalise y + z on the edge (β = ½), and move z̃ by (β̃/β)·Δz", () => {
    const n = 6;
    const random = new RandomStreams(11).stream("dadao-core-test");
    // Every pair may meet, at the rate DADAO sets for the complete graph (consistent χ₁*: with
    // communications far slower than χ₁* assumes, the dual variables grow without gradients).
    const rates = dadaoRates(completeGraph(n));
    const constants = dadaoConstants({ mu: 0.5, L: 8, chi1Star: rates.chi1Star });
    const stacks = Array.from({ length: n }, () =>
      randomStack(
        Array.from({ length: 6 * d }, () => 5 * random.normal()),
        d,
      ),
    );
    const core = new DadaoCore(kernels, stacks, constants, new Float64Array(n).fill(1));
    const mi = kernels.alloc(d);
    const mj = kernels.alloc(d);
    const sum = (row: number) =>
      Array.from({ length: d }, (_, k) => stacks.reduce((s, stack) => s + stack[row]!.data![k]!, 0));
    const magnitude = (row: number) =>
      stacks.reduce((s, stack) => s + stack[row]!.data!.reduce((a, v) => a + Math.abs(v), 0), 0);
    // The ODE keeps α̃·z + α·z̃ of every node, the exchanges Σz and Σz̃: Σ(α̃z + αz̃) stays at its start.
    const invariant = () => sum(4).map((z, k) => constants.alphaTilde * z + constants.alpha * sum(5)[k]!);
    const invariantAtStart = invariant();
    let t = 0;
    for (let event = 0; event < 200; event++) {
      t += random.exponential(rates.mixRate);
      const i = random.int(n);
      const j = (i + 1 + random.int(n - 1)) % n;
      core.advance(i, t);
      core.advance(j, t);
      const zBefore = sum(4);
      const ztBefore = sum(5);
      const ziBefore = Array.from(stacks[i]![4].data!);
      const ztiBefore = Array.from(stacks[i]![5].data!);
      core.exchange(i, j, mi, mj);
      const tolerance = 1e-6 * (magnitude(4) + magnitude(5));
      const zAfter = sum(4);
      const ztAfter = sum(5);
      for (let k = 0; k < d; k++) {
        expect(Math.abs(zAfter[k]! - zBefore[k]!)).toBeLessThanOrEqual(tolerance);
        expect(Math.abs(ztAfter[k]! - ztBefore[k]!)).toBeLessThanOrEqual(tolerance);
      }
      for (let k = 0; k < d; k++) {
        const [yi, zi, yj, zj] = [stacks[i]![2], stacks[i]![4], stacks[j]![2], stacks[j]![4]].map(
          (v) => v.data![k]!,
        );
        const size = Math.abs(yi!) + Math.abs(zi!) + Math.abs(yj!) + Math.abs(zj!);
        expect(Math.abs(yi! + zi! - (yj! + zj!))).toBeLessThanOrEqual(1e-6 * size);
        const dz = stacks[i]![4].data![k]! - ziBefore[k]!;
        const dzt = stacks[i]![5].data![k]! - ztiBefore[k]!;
        expect(Math.abs(dzt - (constants.betaTilde / constants.beta) * dz)).toBeLessThanOrEqual(
          1e-5 * (Math.abs(dzt) + Math.abs(ztiBefore[k]!) + 1),
        );
      }
    }
    const scale = constants.alphaTilde * magnitude(4) + constants.alpha * magnitude(5);
    const invariantAtEnd = invariant();
    for (let k = 0; k < d; k++) {
      expect(Math.abs(invariantAtEnd[k]! - invariantAtStart[k]!)).toBeLessThanOrEqual(1e-5 * scale);
    }
  });
});

describe("dadaoSetup: constants and rates (reference §2.3, §2.7)", () => {
  const leastSquares = buildProblem(
    { kind: "least-squares", dimension: 2, samplesPerWorker: 20, batchSize: 20 },
    10,
    new RandomStreams(1),
  );

  it("star-300: λ_mix = √(2χ₁χ₂) = 299, χ₁* = χ₁/λ_mix = 1, β̃ = 2χ₁*√(L/ν)", () => {
    const { rates, mixRate, constants } = dadaoSetup(
      { problem: leastSquares, graph: gossipGraphOf(starGraph(300)) },
      { constants: "global" },
    );
    expect(rates.chi1).toBeCloseTo(299, 9);
    expect(rates.chi2).toBeCloseTo(149.5, 9);
    expect(mixRate).toBeCloseTo(299, 9);
    const L = leastSquares.L!;
    const nu = leastSquares.mu! / 2;
    expect(constants.nu).toBe(nu);
    expect(constants.gamma).toBe(1 / (4 * L));
    expect(constants.betaTilde).toBeCloseTo(2 * Math.sqrt(L / nu), 9);
  });

  it("commRate overrides λ_mix, and χ₁* follows the actual Laplacian commRate·L_norm", () => {
    const { mixRate, constants } = dadaoSetup(
      { problem: leastSquares, graph: gossipGraphOf(starGraph(300)) },
      { commRate: 50, constants: "global" },
    );
    expect(mixRate).toBe(50);
    const nu = leastSquares.mu! / 2;
    expect(constants.betaTilde).toBeCloseTo(2 * (299 / 50) * Math.sqrt(leastSquares.L! / nu), 9);
    expect(() =>
      dadaoSetup({ problem: leastSquares, graph: gossipGraphOf(starGraph(8)) }, { commRate: 0 }),
    ).toThrow(RangeError);
  });

  it("time-varying graphs: the worst χ₁ and χ₂ over the sequence, each graph on its own L_norm", () => {
    const star = starGraph(8);
    const path = pathGraph(8);
    const { rates } = dadaoSetup(
      { problem: leastSquares, graph: gossipGraphOf(timeVaryingGraph([star, path], 0.5)) },
      {},
    );
    const a = dadaoRates(star);
    const b = dadaoRates(path);
    expect(rates.chi1).toBe(Math.max(a.chi1, b.chi1));
    expect(rates.chi2).toBe(Math.max(a.chi2, b.chi2));
    // The two graphs disagree (the path is the worse one for χ₁, so a "first graph only" bug fails).
    expect(b.chi1).toBeGreaterThan(2 * a.chi1);
  });

  it("by default takes the local worst-case constants min μ_i, max L_i, as the authors' code", () => {
    const { constants } = dadaoSetup({ problem: leastSquares, graph: gossipGraphOf(starGraph(300)) }, {});
    const localMu = leastSquares.localMu!;
    const localL = leastSquares.localL!;
    // Each f_i is an average of f's terms' kind: its extreme curvatures bracket the global ones.
    expect(localMu).toBeLessThanOrEqual(leastSquares.mu!);
    expect(localL).toBeGreaterThanOrEqual(leastSquares.L!);
    expect(localL / localMu).toBeGreaterThan(leastSquares.L! / leastSquares.mu!);
    expect(constants.nu).toBe(localMu / 2);
    expect(constants.gamma).toBe(1 / (4 * localL));
  });

  it("refuses a problem without μ and L, with an input error naming problem.kind", () => {
    const preset = buildProblem({ kind: "preset", model: "resnet-18" }, 4, new RandomStreams(1));
    expect(preset.mu).toBeUndefined();
    expect(() => dadaoSetup({ problem: preset, graph: gossipGraphOf(starGraph(4)) }, {})).toThrow(
      /problem\.kind: .*strongly convex problem with known μ > 0 and L/,
    );
  });

  it("declares six vectors per worker (x as parameters, 6× its memory in all) and a gradient buffer", () => {
    expect(dadao.state({})).toEqual([
      { name: "x", category: "parameters" },
      { name: "xTilde", category: "optimizerState" },
      { name: "y", category: "optimizerState" },
      { name: "yTilde", category: "optimizerState" },
      { name: "z", category: "optimizerState" },
      { name: "zTilde", category: "optimizerState" },
      { name: "g", category: "gradients" },
    ]);
  });
});
