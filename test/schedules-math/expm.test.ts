import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dadaoConstants, dadaoOdeMatrix } from "../../sim/schedules/math/dadao.ts";
import { expm, expm2, expm6, MatrixExponential, oneNorm } from "../../sim/schedules/math/expm.ts";
import { expmTaylor, identity, matmul, maxAbs, relativeError } from "./dense-oracles.ts";

/** A random n × n matrix (entries in [−1, 1]) rescaled to the 1-norm `norm`. */
const matrixWithNorm = (sizes: { min: number; max: number }, norms: number[]) =>
  fc
    .integer(sizes)
    .chain((n) =>
      fc.record({
        n: fc.constant(n),
        entries: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
          minLength: n * n,
          maxLength: n * n,
        }),
        norm: fc.constantFrom(...norms),
      }),
    )
    .filter(({ entries }) => maxAbs(entries) > 1e-3)
    .map(({ n, entries, norm }) => {
      const a = Float64Array.from(entries);
      const scale = norm / oneNorm(a, n);
      return { n, a: a.map((v) => v * scale) };
    });

/** The DADAO matrix of the notebook's problem (μ = 1.21, L = 3.01) on star-300 (χ1* = 1). */
const notebookMatrix = dadaoOdeMatrix(dadaoConstants({ mu: 1.21, L: 3.01, chi1Star: 1 }));

describe("expm: exact cases", () => {
  it("expm(0) = I and expm(M·0) = I exactly", () => {
    for (let n = 1; n <= 8; n++) expect(expm(new Float64Array(n * n), n)).toEqual(identity(n));
    expect(expm6(notebookMatrix, 0)).toEqual(identity(6));
  });

  it("of a diagonal matrix is the diagonal of exponentials (relative 8ε·max(1, ‖At‖₁) per entry)", () => {
    const d = [-5, -1.5, -0.01, 0, 0.3, 2, 4.9];
    const n = d.length;
    const a = new Float64Array(n * n);
    d.forEach((v, i) => {
      a[i * n + i] = v;
    });
    for (const t of [1e-6, 0.1, 1, 7, 40, 100]) {
      const e = expm(a, n, t);
      // Every entry goes through the same 2^s squarings, s ≈ log2(‖At‖₁/5.4), small ones included.
      const tolerance = 8 * Number.EPSILON * Math.max(1, oneNorm(a, n) * t);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (i !== j) {
            expect(e[i * n + j]).toBe(0);
            continue;
          }
          const exact = Math.exp(d[i]! * t);
          const error = Math.abs(e[i * n + i]! - exact) / exact;
          expect(error, `d = ${d[i]}, t = ${t}`).toBeLessThanOrEqual(tolerance);
        }
      }
    }
  });

  it("of a rotation generator is the rotation, up to ‖A‖ = 1000 (error ≤ 2e-16·max(1, ωt))", () => {
    for (const angle of [1e-3, 0.5, 3, 10, 100, 999.5]) {
      const e = expm([0, -1, 1, 0], 2, angle);
      const exact = [Math.cos(angle), -Math.sin(angle), Math.sin(angle), Math.cos(angle)];
      // A rotation by ωt rad is only known to about ωt·ε (the problem's condition number).
      expect(relativeError(e, exact), `angle ${angle}`).toBeLessThanOrEqual(2e-16 * Math.max(4, angle));
    }
  });

  it("of a Jordan block is e^{λt}·[[1, t], [0, 1]]", () => {
    for (const [lambda, t] of [
      [0, 3],
      [-0.5, 2],
      [-2, 50],
      [0.1, 10],
    ] as const) {
      const e = expm([lambda, 1, 0, lambda], 2, t);
      const g = Math.exp(lambda * t);
      expect(relativeError(e, [g, g * t, 0, g])).toBeLessThanOrEqual(
        1e-14 * Math.max(1, Math.abs(lambda * t)),
      );
    }
  });
});

describe("expm against a float64 Taylor series", () => {
  it("agrees to 1e-14 relative for ‖A‖₁ ≤ 1 (every Padé degree below 13 is exercised)", () => {
    fc.assert(
      fc.property(matrixWithNorm({ min: 1, max: 8 }, [1e-8, 0.01, 0.2, 0.9, 1]), ({ n, a }) => {
        expect(relativeError(expm(a, n), expmTaylor(a, n, 1))).toBeLessThanOrEqual(1e-14);
      }),
      { numRuns: 200 },
    );
  });

  it("agrees to 1e-13 relative for ‖A‖₁ in (1, 20], Taylor with 5 squarings", () => {
    fc.assert(
      fc.property(matrixWithNorm({ min: 1, max: 8 }, [2, 5, 5.37, 6, 20]), ({ n, a }) => {
        expect(relativeError(expm(a, n), expmTaylor(a, n, 1, 5))).toBeLessThanOrEqual(1e-13);
      }),
      { numRuns: 200 },
    );
  });
});

describe("expm: the semigroup and the derivative", () => {
  it("expm(A(s+t)) = expm(As)·expm(At) on random matrices (relative 1e-13·(1 + ‖A‖(s+t)))", () => {
    fc.assert(
      fc.property(
        matrixWithNorm({ min: 2, max: 7 }, [0.3, 1, 4, 10]),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        ({ n, a }, s, t) => {
          // Negative-definite shift so that long times stay bounded (e^{A·6} can be 10^26 otherwise).
          const b = Float64Array.from(a);
          for (let i = 0; i < n; i++) b[i * n + i]! -= oneNorm(a, n);
          const whole = expm(b, n, s + t);
          const product = matmul(expm(b, n, s), expm(b, n, t), n);
          const scale = 1 + oneNorm(b, n) * (s + t);
          expect(maxAbs(whole.map((v, i) => v - product[i]!))).toBeLessThanOrEqual(
            1e-13 * scale * maxAbs(whole),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("holds for the DADAO matrix up to ‖M·dt‖₁ = 1000 (relative 1e-13)", () => {
    const norm = oneNorm(notebookMatrix, 6);
    for (const total of [0.01, 1, 10, 100, 1000]) {
      const dt = total / norm;
      for (const fraction of [0.5, 0.25, 0.9]) {
        const whole = expm6(notebookMatrix, dt);
        const product = matmul(
          expm6(notebookMatrix, dt * fraction),
          expm6(notebookMatrix, dt * (1 - fraction)),
          6,
        );
        expect(relativeError(product, whole), `‖M dt‖ = ${total}`).toBeLessThanOrEqual(1e-13);
      }
    }
  });

  it("(expm(M(t+h)) − expm(M(t−h)))/2h ≈ M·expm(Mt) for the DADAO matrix (relative 1e-8)", () => {
    const h = 1e-4;
    for (const t of [0, 0.3, 2, 15, 60]) {
      const derivative = expm6(notebookMatrix, t + h).map(
        (v, i) => (v - expm6(notebookMatrix, t - h)[i]!) / (2 * h),
      );
      // Central differences: error h²‖M‖³/6 ≈ 1e-9 here, plus rounding ε/h ≈ 1e-12.
      expect(
        relativeError(derivative, matmul(notebookMatrix, expm6(notebookMatrix, t), 6)),
        `t = ${t}`,
      ).toBeLessThan(1e-8);
    }
  });
});

describe("expm6 on the DADAO matrix: closed forms of its decoupled blocks", () => {
  // x, x̃ evolve on their own under [[−η, η], [η̃, −η̃]], and z, z̃ under [[−α, α], [α̃, −α̃]]:
  // expm of [[−p, p], [q, −q]]·t = (1/(p+q))·[[q + p·e, p(1 − e)], [q(1 − e), p + q·e]], e = e^{−(p+q)t}.
  const block = (p: number, q: number, t: number) => {
    const e = Math.exp(-(p + q) * t);
    const f = -Math.expm1(-(p + q) * t);
    return [(q + p * e) / (p + q), (p * f) / (p + q), (q * f) / (p + q), (p + q * e) / (p + q)];
  };
  const c = dadaoConstants({ mu: 1.21, L: 3.01, chi1Star: 1 });
  const norm = oneNorm(notebookMatrix, 6);

  it("the x and z blocks match to 1e-16·max(10, ‖M·dt‖₁) (1e-13 at 1000), the uncoupled entries are 0", () => {
    for (const total of [1e-6, 0.1, 1, 10, 100, 1000]) {
      const dt = total / norm;
      const tolerance = 1e-16 * Math.max(10, total);
      const e = expm6(notebookMatrix, dt);
      const at = (i: number, j: number) => e[i * 6 + j]!;
      expect(
        relativeError([at(0, 0), at(0, 1), at(1, 0), at(1, 1)], block(c.eta, c.etaTilde, dt)),
      ).toBeLessThan(tolerance);
      expect(
        relativeError([at(4, 4), at(4, 5), at(5, 4), at(5, 5)], block(c.alpha, c.alphaTilde, dt)),
      ).toBeLessThan(tolerance);
      for (const row of [0, 1, 4, 5]) {
        for (let col = 0; col < 6; col++) {
          const inBlock = row < 2 ? col < 2 : col >= 4;
          if (!inBlock) expect(Math.abs(at(row, col)), `(${row}, ${col})`).toBeLessThanOrEqual(1e-15);
        }
      }
    }
  });
});

describe("expm2 (closed-form 2 × 2)", () => {
  it("matches the Padé expm on random stable 2 × 2 matrices, real and complex eigenvalues (1e-13)", () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.double({ min: -3, max: 3, noNaN: true }),
          fc.double({ min: -3, max: 3, noNaN: true }),
          fc.double({ min: -3, max: 3, noNaN: true }),
          fc.double({ min: -3, max: 3, noNaN: true }),
        ),
        fc.double({ min: 0, max: 20, noNaN: true }),
        ([p, q, r, s], t) => {
          // Shift the diagonal so both eigenvalues have real part ≤ 0.
          const shift = Math.abs(p) + Math.abs(q) + Math.abs(r) + Math.abs(s);
          const m = [p - shift, q, r, s - shift];
          const reference = expm(m, 2, t);
          expect(
            maxAbs(expm2(m[0]!, m[1]!, m[2]!, m[3]!, t).map((v, i) => v - reference[i]!)),
          ).toBeLessThanOrEqual(1e-13 * Math.max(1e-300, maxAbs(reference)) + 1e-300);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("handles a double eigenvalue (q² = 0) and a pure rotation exactly", () => {
    const jordan = expm2(-1, 1, 0, -1, 2);
    expect(relativeError(jordan, [Math.exp(-2), 2 * Math.exp(-2), 0, Math.exp(-2)])).toBeLessThan(1e-15);
    const rotation = expm2(0, -2, 2, 0, 1.5);
    expect(relativeError(rotation, [Math.cos(3), -Math.sin(3), Math.sin(3), Math.cos(3)])).toBeLessThan(
      1e-15,
    );
  });
});

describe("expm: inputs", () => {
  it("rejects a wrong size or a non-finite time, and leaves its input alone", () => {
    expect(() => expm([1, 2, 3], 2)).toThrow(RangeError);
    expect(() => expm6(notebookMatrix, Number.NaN)).toThrow(RangeError);
    expect(() => expm6(notebookMatrix, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => new MatrixExponential(0)).toThrow(RangeError);
    const copy = Float64Array.from(notebookMatrix);
    expm6(notebookMatrix, 3);
    expect(notebookMatrix).toEqual(copy);
  });

  it("writes into a caller's buffer, which may be the input", () => {
    const work = new MatrixExponential(6);
    const out = new Float64Array(36);
    expect(work.compute(notebookMatrix, 2, out)).toBe(out);
    const inPlace = Float64Array.from(notebookMatrix);
    work.compute(inPlace, 2, inPlace);
    expect(inPlace).toEqual(out);
  });
});
