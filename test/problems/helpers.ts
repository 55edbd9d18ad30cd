import type { RandomStream } from "../../sim/engine/random.ts";

/** Central finite differences of `f` at x (float64), step h per coordinate. */
export function finiteDifferenceGradient(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  h: number,
  coordinates: readonly number[] = Array.from({ length: x.length }, (_, i) => i),
): Map<number, number> {
  const point = Float64Array.from(x);
  const out = new Map<number, number>();
  for (const j of coordinates) {
    const saved = point[j]!;
    point[j] = saved + h;
    const up = f(point);
    point[j] = saved - h;
    const down = f(point);
    point[j] = saved;
    out.set(j, (up - down) / (2 * h));
  }
  return out;
}

export function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

export function distance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - y[i]!) ** 2;
  return Math.sqrt(s);
}

export function randomVector(rng: RandomStream, d: number, scale = 1): Float64Array {
  const v = new Float64Array(d);
  for (let i = 0; i < d; i++) v[i] = scale * rng.normal();
  return v;
}
