import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../sim/engine/random.ts";
import { cholesky, choleskySolve, symmetricEigenvalues } from "../../sim/problems/linalg.ts";
import { randomVector } from "./helpers.ts";

/** Q·diag(λ)·Qᵀ with Q a product of random Householder reflections: known eigenvalues. */
function withSpectrum(eigenvalues: readonly number[], seed: number): Float64Array {
  const d = eigenvalues.length;
  const rng = new RandomStreams(seed).stream("householder");
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) a[i * d + i] = eigenvalues[i]!;
  for (let r = 0; r < 3; r++) {
    const v = randomVector(rng, d);
    let vv = 0;
    for (const x of v) vv += x * x;
    // a ← H·a·H with H = I − 2vvᵀ/vᵀv.
    const h = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) h[i * d + j] = (i === j ? 1 : 0) - (2 * v[i]! * v[j]!) / vv;
    const t = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let k = 0; k < d; k++) for (let j = 0; j < d; j++) t[i * d + j]! += h[i * d + k]! * a[k * d + j]!;
    a.fill(0);
    for (let i = 0; i < d; i++)
      for (let k = 0; k < d; k++) for (let j = 0; j < d; j++) a[i * d + j]! += t[i * d + k]! * h[k * d + j]!;
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) a[j * d + i] = a[i * d + j]!;
  }
  return a;
}

describe("symmetricEigenvalues (Jacobi)", () => {
  it("recovers the spectrum of Q·diag(λ)·Qᵀ", () => {
    const spectra = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(fc.property(spectra, fc.nat(), recoversSpectrum), { numRuns: 60 });
  });

  function recoversSpectrum(eigenvalues: number[], seed: number): void {
    const a = withSpectrum(eigenvalues, seed);
    const got = symmetricEigenvalues(a, eigenvalues.length);
    const want = [...eigenvalues].sort((x, y) => x - y);
    const scale = Math.max(1, ...eigenvalues.map(Math.abs));
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-10 * scale);
  }

  it("handles diagonal, 1×1 and repeated eigenvalues, and leaves its input alone", () => {
    expect([...symmetricEigenvalues(Float64Array.of(3), 1)]).toEqual([3]);
    const diag = Float64Array.of(2, 0, 0, -1);
    expect([...symmetricEigenvalues(diag, 2)]).toEqual([-1, 2]);
    expect([...diag]).toEqual([2, 0, 0, -1]);
    const repeated = symmetricEigenvalues(withSpectrum([5, 5, 5, 1], 3), 4);
    expect(repeated[0]).toBeCloseTo(1, 12);
    expect(repeated[3]).toBeCloseTo(5, 12);
  });

  it("takes a 150×150 matrix in well under a second", () => {
    const d = 150;
    const eigenvalues = Array.from({ length: d }, (_, i) => 1 + i / 10);
    const a = withSpectrum(eigenvalues, 1);
    const start = performance.now();
    const got = symmetricEigenvalues(a, d);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(got[0]).toBeCloseTo(1, 9);
    expect(got[d - 1]).toBeCloseTo(1 + (d - 1) / 10, 9);
  });
});

describe("Cholesky", () => {
  it("solves SPD systems: a·x = b", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 15 }), fc.nat(), solves), { numRuns: 50 });
  });

  function solves(d: number, seed: number): void {
    const eigenvalues = Array.from({ length: d }, (_, i) => 0.5 + i);
    const a = withSpectrum(eigenvalues, seed);
    const b = randomVector(new RandomStreams(seed).stream("rhs"), d);
    const x = choleskySolve(a, b, d);
    for (let i = 0; i < d; i++) {
      let r = -b[i]!;
      for (let j = 0; j < d; j++) r += a[i * d + j]! * x[j]!;
      expect(Math.abs(r)).toBeLessThan(1e-10);
    }
    const l = cholesky(a, d);
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) expect(l[i * d + j]).toBe(0);
  }

  it("rejects an indefinite or singular matrix", () => {
    expect(() => cholesky(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/positive definite/);
    expect(() => cholesky(Float64Array.of(1, 1, 1, 1), 2)).toThrow(/positive definite/);
  });
});
