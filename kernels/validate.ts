/**
 * Argument checks shared by every implementation, so that a bad call fails the same way (same error
 * class, same message) on the CPU, shape-only and later WebGPU kernels. Fixed arities, no rest
 * parameters: a check allocates nothing unless it throws.
 */
import type { Vec } from "./kernels.ts";

/** A length `alloc` accepts: a non-negative safe integer. */
export function checkAllocLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0)
    throw new RangeError(`alloc: length must be a non-negative integer, got ${length}`);
}

function mismatch(op: string, a: Vec, b: Vec): RangeError {
  return new RangeError(`${op}: vector lengths differ (${a.length} vs ${b.length})`);
}

export function sameLength2(op: string, a: Vec, b: Vec): void {
  if (a.length !== b.length) throw mismatch(op, a, b);
}

export function sameLength3(op: string, a: Vec, b: Vec, c: Vec): void {
  if (a.length !== b.length) throw mismatch(op, a, b);
  if (a.length !== c.length) throw mismatch(op, a, c);
}

export function sameLength4(op: string, a: Vec, b: Vec, c: Vec, d: Vec): void {
  if (a.length !== b.length) throw mismatch(op, a, b);
  if (a.length !== c.length) throw mismatch(op, a, c);
  if (a.length !== d.length) throw mismatch(op, a, d);
}

/** Six vectors of one length and a 6×6 matrix (36 entries). */
export function checkLinear6(s: readonly [Vec, Vec, Vec, Vec, Vec, Vec], e: Float64Array): void {
  if (e.length !== 36) throw new RangeError(`linear6: the matrix must have 36 entries, got ${e.length}`);
  const first = s[0];
  if (first.length !== s[1].length) throw mismatch("linear6", first, s[1]);
  if (first.length !== s[2].length) throw mismatch("linear6", first, s[2]);
  if (first.length !== s[3].length) throw mismatch("linear6", first, s[3]);
  if (first.length !== s[4].length) throw mismatch("linear6", first, s[4]);
  if (first.length !== s[5].length) throw mismatch("linear6", first, s[5]);
}

/** AdamW's step counter: an integer ≥ 1 (the bias corrections divide by 1 − β^t). */
export function checkAdamStep(t: number): void {
  if (!Number.isSafeInteger(t) || t < 1)
    throw new RangeError(`adamw: step t must be an integer ≥ 1, got ${t}`);
}
