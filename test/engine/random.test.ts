import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Distribution,
  distributionMean,
  distributionVariance,
  sample,
} from "../../sim/engine/distributions.ts";
import { type RandomStream, RandomStreams } from "../../sim/engine/random.ts";
import {
  ALPHA,
  chiSquareSurvival,
  chiSquareUniform,
  ksCritical,
  ksStatistic,
  meanZ,
  medianOfVariances,
  moments,
  varianceZ,
  Z_BOUND,
} from "./stats.ts";

function draws(stream: RandomStream, n: number): number[] {
  return Array.from({ length: n }, () => stream.uniform());
}

describe("RandomStreams: named, independent streams", () => {
  it("stream ('w', 3) draws the same whether or not other streams were made or drawn from first", () => {
    const alone = draws(new RandomStreams(42).stream("w", 3), 200);

    const streams = new RandomStreams(42);
    const w4 = streams.stream("w", 4);
    const x = streams.stream("x");
    draws(w4, 50);
    draws(x, 17);
    const w3 = streams.stream("w", 3);
    // Interleave draws of the other streams with those of ("w", 3).
    const interleaved: number[] = [];
    for (let i = 0; i < 200; i++) {
      interleaved.push(w3.uniform());
      w4.exponential(2);
      if (i % 3 === 0) x.normal();
    }
    expect(interleaved).toEqual(alone);
    // The same arguments give a fresh stream with the same draws, independent of the first one's position.
    expect(draws(streams.stream("w", 3), 200)).toEqual(alone);
  });

  it("different seeds, purposes and indices give different sequences", () => {
    const keys: [seed: number, purpose: string, indices: number[]][] = [
      [42, "w", [3]],
      [42, "w", [4]],
      [42, "w", [3, 0]],
      [42, "w", [0, 3]],
      [42, "w", []],
      [42, "x", []],
      [42, "x", [3]],
      [42, "", []],
      [42, "ww", [3]],
      [42, "w", [2 ** 32 + 3]],
      [42, "w", [-3]],
      [43, "w", [3]],
      [0, "w", [3]],
      [2 ** 32, "w", [3]],
      [-42, "w", [3]],
      [Number.MAX_SAFE_INTEGER, "w", [3]],
    ];
    const seen = new Map<string, string>();
    for (const [seed, purpose, indices] of keys) {
      const fingerprint = draws(new RandomStreams(seed).stream(purpose, ...indices), 4).join(",");
      const name = JSON.stringify([seed, purpose, indices]);
      expect(seen.get(fingerprint), `${name} repeats ${seen.get(fingerprint)}`).toBeUndefined();
      seen.set(fingerprint, name);
    }
  });

  it("different (seed, purpose, indices) give different sequences, as a property", () => {
    const keyArb = fc.tuple(
      fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger()),
      fc.constantFrom("w", "x", "edge", "gossip-clock", ""),
      fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(keyArb, keyArb, ([s1, p1, i1], [s2, p2, i2]) => {
        fc.pre(s1 !== s2 || p1 !== p2 || i1.join() !== i2.join());
        expect(draws(new RandomStreams(s1).stream(p1, ...i1), 2)).not.toEqual(
          draws(new RandomStreams(s2).stream(p2, ...i2), 2),
        );
      }),
      { numRuns: 2000, seed: 21 },
    );
  });

  it("no two of 262 144 edge streams ('edge', i, j) coincide", () => {
    // With 128 bits of state per stream, two of N streams share their first two draws (106 bits) with
    // probability ≤ N²/2^107 ≈ 4e-22. A derivation with only 32 bits of entropy would give about
    // N²/2^33 ≈ 8 identical pairs here.
    const streams = new RandomStreams(1);
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (let i = 0; i < 512; i++) {
      for (let j = 0; j < 512; j++) {
        const s = streams.stream("edge", i, j);
        const key = `${s.uniform()},${s.uniform()}`;
        const previous = seen.get(key);
        if (previous !== undefined) duplicates.push(`(${previous}) = (${i},${j})`);
        else seen.set(key, `${i},${j}`);
      }
    }
    expect(duplicates).toEqual([]);
  });

  it("rejects seeds that are not safe integers", () => {
    expect(() => new RandomStreams(1.5)).toThrow(RangeError);
    expect(() => new RandomStreams(2 ** 53)).toThrow(RangeError);
    expect(() => new RandomStreams(Number.NaN)).toThrow(RangeError);
  });
});

describe("RandomStream draws", () => {
  const streams = new RandomStreams(20240611);

  it("uniform() lies in [0, 1) and uniformPositive() in (0, 1], both Uniform (KS at α = 1e-7)", () => {
    const s = streams.stream("uniform");
    const n = 500_000;
    const u = new Float64Array(n);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      u[i] = s.uniform();
      v[i] = s.uniformPositive();
    }
    expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(v.every((x) => x > 0 && x <= 1)).toBe(true);
    const critical = ksCritical(n, ALPHA);
    expect(ksStatistic(u, (x) => x)).toBeLessThan(critical);
    expect(ksStatistic(v, (x) => x)).toBeLessThan(critical);
    expect(Math.abs(meanZ(moments(u), 0.5, 1 / 12))).toBeLessThan(Z_BOUND);
  });

  it("int(n) is an integer in [0, n), uniform by a chi-square test (p > 1e-7)", () => {
    const s = streams.stream("int");
    for (const n of [1, 2, 3, 2 ** 31, 2 ** 40]) {
      for (let i = 0; i < 2000; i++) {
        const k = s.int(n);
        expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
      }
    }
    for (const [n, perCell] of [
      [7, 100_000],
      [1000, 1000],
    ] as const) {
      const counts = new Float64Array(n);
      for (let i = 0; i < n * perCell; i++) counts[s.int(n)]!++;
      const p = chiSquareSurvival(chiSquareUniform(counts), n - 1);
      expect(p, `int(${n}) chi-square p-value`).toBeGreaterThan(ALPHA);
    }
  });

  it("exponential(rate) has mean 1/rate and variance 1/rate²", () => {
    const s = streams.stream("exponential");
    for (const rate of [0.01, 2.5]) {
      const n = 400_000;
      const x = Float64Array.from({ length: n }, () => s.exponential(rate));
      expect(x.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
      const m = moments(x);
      const mean = 1 / rate;
      expect(Math.abs(meanZ(m, mean, mean ** 2))).toBeLessThan(Z_BOUND);
      // Exp: μ4 = 9/rate⁴.
      expect(Math.abs(varianceZ(m, mean ** 2, 9 * mean ** 4))).toBeLessThan(Z_BOUND);
    }
  });

  it("normal() has mean 0 and variance 1", () => {
    const s = streams.stream("normal");
    const m = moments(Float64Array.from({ length: 400_000 }, () => s.normal()));
    expect(Math.abs(meanZ(m, 0, 1))).toBeLessThan(Z_BOUND);
    expect(Math.abs(varianceZ(m, 1, 3))).toBeLessThan(Z_BOUND);
  });
});

describe("a Poisson process built from exponential gaps", () => {
  const rate = 3;
  const horizon = 10;

  function countOn(s: RandomStream): number {
    let t = s.exponential(rate);
    let count = 0;
    while (t <= horizon) {
      count++;
      t += s.exponential(rate);
    }
    return count;
  }

  it("counts on [0, T] have mean and variance λT over many replications", () => {
    const replications = 20_000;
    const streams = new RandomStreams(5);
    // One stream per replication, as a simulator would name them.
    const counts = Float64Array.from({ length: replications }, (_, r) =>
      countOn(streams.stream("arrivals", r)),
    );
    const m = moments(counts);
    const lt = rate * horizon;
    expect(Math.abs(meanZ(m, lt, lt))).toBeLessThan(Z_BOUND);
    // Poisson(μ): 4th central moment μ(1 + 3μ).
    expect(Math.abs(varianceZ(m, lt, lt * (1 + 3 * lt)))).toBeLessThan(Z_BOUND);
  });

  it("gaps are Exp(λ): KS test at α = 1e-7, and their mean is 1/λ", () => {
    const s = new RandomStreams(6).stream("arrivals");
    const n = 200_000;
    const arrivals = new Float64Array(n + 1);
    for (let i = 1; i <= n; i++) arrivals[i] = arrivals[i - 1]! + s.exponential(rate);
    const gaps = Float64Array.from({ length: n }, (_, i) => arrivals[i + 1]! - arrivals[i]!);
    expect(ksStatistic(gaps, (x) => 1 - Math.exp(-rate * x))).toBeLessThan(ksCritical(n, ALPHA));
    expect(Math.abs(meanZ(moments(gaps), 1 / rate, 1 / rate ** 2))).toBeLessThan(Z_BOUND);
  });
});

/** Fourth central moment of each family, for the variance checks. */
function fourthCentralMoment(d: Distribution): number {
  const v = distributionVariance(d);
  switch (d.kind) {
    case "deterministic":
      return 0;
    case "uniform":
      return (d.max - d.min) ** 4 / 80;
    case "exponential":
      return 9 * d.mean ** 4;
    case "lognormal": {
      const w = 1 + d.cv * d.cv; // exp(σ²) of the underlying normal
      return v * v * (w ** 4 + 2 * w ** 3 + 3 * w ** 2 - 3);
    }
    case "gamma": {
      const shape = 1 / (d.cv * d.cv);
      return v * v * (3 + 6 / shape);
    }
  }
}

describe("distributions: sample moments match distributionMean / distributionVariance", () => {
  const families: Distribution[] = [
    { kind: "uniform", min: 1, max: 4 },
    { kind: "uniform", min: 0.25, max: 0.5 },
    { kind: "exponential", mean: 2 },
    { kind: "lognormal", mean: 2, cv: 0.1 },
    { kind: "lognormal", mean: 2, cv: 0.5 },
    { kind: "lognormal", mean: 0.3, cv: 1 },
    { kind: "gamma", mean: 2, cv: 0.1 },
    { kind: "gamma", mean: 2, cv: 1 },
    // shape 0.25 < 1: exercises the Γ(k) = Γ(k+1)·U^(1/k) boost.
    { kind: "gamma", mean: 0.3, cv: 2 },
  ];
  const n = 453_000; // 151 groups of 3000 for the variance check

  for (const [index, d] of families.entries()) {
    for (const scale of [1, 2.5]) {
      it(`${JSON.stringify(d)} × ${scale}`, () => {
        const rng = new RandomStreams(99).stream("distribution", index, scale * 10);
        const x = Float64Array.from({ length: n }, () => sample(d, rng, scale));
        expect(x.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
        const mean = distributionMean(d) * scale;
        const variance = distributionVariance(d) * scale * scale;
        const mu4 = fourthCentralMoment(d) * scale ** 4;
        if (d.kind === "uniform") expect(x.every((v) => v >= d.min * scale && v <= d.max * scale)).toBe(true);
        // Mean: CLT z-test (finite variance; the families' skewness is ≤ 4, so the mean's is ≤ 4/√n < 0.006).
        expect(Math.abs(meanZ(moments(x), mean, variance))).toBeLessThan(Z_BOUND);
        // Variance: median of 151 group variances within 2 exact standard deviations (Chebyshev + exact
        // binomial), valid for the heavy-tailed lognormal and gamma without assuming normality of s².
        const check = medianOfVariances(x, 151, variance, mu4);
        expect(check.falseFailure).toBeLessThan(1e-6);
        expect(Math.abs(check.median - variance)).toBeLessThan(check.tolerance);
      });
    }
  }

  it("deterministic: every draw is mean × scale, and its variance is 0", () => {
    const d: Distribution = { kind: "deterministic", mean: 1.75 };
    const rng = new RandomStreams(1).stream("deterministic");
    for (let i = 0; i < 100; i++) expect(sample(d, rng, 3)).toBe(5.25);
    expect(distributionVariance(d)).toBe(0);
    expect(distributionMean(d)).toBe(1.75);
  });

  it("same stream, same samples", () => {
    const d: Distribution = { kind: "gamma", mean: 1, cv: 0.7 };
    const a = new RandomStreams(3).stream("g");
    const b = new RandomStreams(3).stream("g");
    for (let i = 0; i < 1000; i++) expect(sample(d, a)).toBe(sample(d, b));
  });
});
