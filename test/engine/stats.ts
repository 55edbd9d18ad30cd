/**
 * Small statistics toolkit for the engine's randomness tests. Every bound used by a test is derived here
 * from the sample size and a stated false-failure probability, never tuned to the observed data.
 */

/** Two-sided z bound: P(|Z| ≥ 5) = 5.7e-7 for a standard normal, below the 1e-6 budget of a check. */
export const Z_BOUND = 5;

/** Per-check false-failure budget for exact tests (chi-square, KS). */
export const ALPHA = 1e-7;

export interface Moments {
  readonly n: number;
  readonly mean: number;
  /** Unbiased sample variance. */
  readonly variance: number;
}

/** Mean and unbiased variance by Welford's update (stable for large n). */
export function moments(values: ArrayLike<number>): Moments {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  }
  return { n: values.length, mean, variance: values.length > 1 ? m2 / (values.length - 1) : 0 };
}

/** z of a sample mean against the true mean `mu` of a population with variance `sigma2`. */
export function meanZ(m: Moments, mu: number, sigma2: number): number {
  return (m.mean - mu) / Math.sqrt(sigma2 / m.n);
}

/**
 * z of a sample variance against the true variance `sigma2`, with Var(s²) ≈ (μ4 − σ⁴)/n where μ4 is the
 * population's fourth central moment (CLT for s²; needs a finite 4th moment, which every family here has).
 */
export function varianceZ(m: Moments, sigma2: number, mu4: number): number {
  return (m.variance - sigma2) / Math.sqrt((mu4 - sigma2 * sigma2) / m.n);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-15). */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) (series below a+1, Lentz fraction above). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnPrefix = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(lnPrefix);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lnPrefix) * h;
}

/** P(χ²_df ≥ x). */
export function chiSquareSurvival(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}

/** Pearson's statistic of observed counts against equal expected counts. */
export function chiSquareUniform(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const expected = total / counts.length;
  let stat = 0;
  for (let i = 0; i < counts.length; i++) stat += (counts[i]! - expected) ** 2 / expected;
  return stat;
}

/** Kolmogorov–Smirnov statistic D_n = sup |F_n − F| of `values` against the continuous cdf `cdf`. */
export function ksStatistic(values: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * Asymptotic KS critical value: P(√n·D_n > c) ≤ 2·exp(−2c²) (Dvoretzky–Kiefer–Wolfowitz with Massart's
 * constant, valid for every n), so c = √(ln(2/α)/2) gives a false-failure probability of at most α.
 */
export function ksCritical(n: number, alpha: number): number {
  return Math.sqrt(Math.log(2 / alpha) / 2) / Math.sqrt(n);
}

/** P(Binomial(n, p) ≥ k), summed exactly in log space. */
export function binomialUpperTail(n: number, p: number, k: number): number {
  let sum = 0;
  const lnN = lnGamma(n + 1);
  for (let j = Math.max(0, Math.ceil(k)); j <= n; j++) {
    sum += Math.exp(lnN - lnGamma(j + 1) - lnGamma(n - j + 1) + j * Math.log(p) + (n - j) * Math.log1p(-p));
  }
  return sum;
}

/**
 * Distribution-free check of a variance (median of means, only a finite 4th moment needed): split the
 * sample into `groups` groups of size m and take each group's unbiased variance V_g, whose exact variance
 * is v = μ4/m − σ⁴(m−3)/(m(m−1)). By Chebyshev P(|V_g − σ²| ≥ 2√v) ≤ 1/4, so the median of the V_g lies
 * outside σ² ± 2√v only if at least half the groups do: probability ≤ P(Bin(groups, 1/4) ≥ groups/2),
 * returned as `falseFailure` so the test can assert it is below its budget.
 */
export function medianOfVariances(
  values: ArrayLike<number>,
  groups: number,
  sigma2: number,
  mu4: number,
): { median: number; tolerance: number; falseFailure: number } {
  const m = Math.floor(values.length / groups);
  const variances: number[] = [];
  for (let g = 0; g < groups; g++) {
    const slice: number[] = [];
    for (let i = g * m; i < (g + 1) * m; i++) slice.push(values[i]!);
    variances.push(moments(slice).variance);
  }
  variances.sort((x, y) => x - y);
  const median = (variances[(groups - 1) >> 1]! + variances[groups >> 1]!) / 2;
  const v = mu4 / m - (sigma2 * sigma2 * (m - 3)) / (m * (m - 1));
  return { median, tolerance: 2 * Math.sqrt(v), falseFailure: binomialUpperTail(groups, 0.25, groups / 2) };
}
