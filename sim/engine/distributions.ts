import type { RandomStream } from "./random.ts";

/**
 * A distribution of positive durations (or factors), described by its mean so that scaling a device's
 * speed scales every draw. `cv` is the coefficient of variation (standard deviation / mean) where the
 * family has a free shape.
 */
export type Distribution =
  | { readonly kind: "deterministic"; readonly mean: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "exponential"; readonly mean: number }
  | { readonly kind: "lognormal"; readonly mean: number; readonly cv: number }
  | { readonly kind: "gamma"; readonly mean: number; readonly cv: number };

export function distributionMean(d: Distribution): number {
  return d.kind === "uniform" ? (d.min + d.max) / 2 : d.mean;
}

export function distributionVariance(d: Distribution): number {
  switch (d.kind) {
    case "deterministic":
      return 0;
    case "uniform":
      return (d.max - d.min) ** 2 / 12;
    case "exponential":
      return d.mean * d.mean;
    case "lognormal":
    case "gamma":
      return (d.cv * d.mean) ** 2;
  }
}

/** Draws one value of `d`, multiplied by `scale` (a device slowdown, say). */
export function sample(d: Distribution, rng: RandomStream, scale = 1): number {
  switch (d.kind) {
    case "deterministic":
      return d.mean * scale;
    case "uniform":
      return (d.min + (d.max - d.min) * rng.uniform()) * scale;
    case "exponential":
      return rng.exponential(1 / d.mean) * scale;
    case "lognormal": {
      // Parameters of the underlying normal that give the requested mean and cv.
      const sigma2 = Math.log(1 + d.cv * d.cv);
      const mu = Math.log(d.mean) - sigma2 / 2;
      return Math.exp(mu + Math.sqrt(sigma2) * rng.normal()) * scale;
    }
    case "gamma": {
      const shape = 1 / (d.cv * d.cv);
      return sampleGammaUnitScale(shape, rng) * (d.mean / shape) * scale;
    }
  }
}

/** Marsaglia & Tsang (2000), with the shape < 1 boost Γ(k) = Γ(k+1)·U^(1/k). */
function sampleGammaUnitScale(shape: number, rng: RandomStream): number {
  if (shape < 1) return sampleGammaUnitScale(shape + 1, rng) * rng.uniformPositive() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniformPositive();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
