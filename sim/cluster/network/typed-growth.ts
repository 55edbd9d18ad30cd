/**
 * Doubling growth for the struct-of-typed-arrays stores used by the network models: per-transfer and
 * per-hop fields live in typed arrays indexed by integer ids, which grow rarely (amortised O(1)) instead
 * of allocating an object per transfer.
 */

/** `old` if it already holds `needed` entries, else a copy at least twice as long. */
export function ensureInt32(old: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= old.length) return old;
  const next = new Int32Array(Math.max(needed, 2 * old.length, 16));
  next.set(old);
  return next;
}

export function ensureFloat64(old: Float64Array<ArrayBuffer>, needed: number): Float64Array<ArrayBuffer> {
  if (needed <= old.length) return old;
  const next = new Float64Array(Math.max(needed, 2 * old.length, 16));
  next.set(old);
  return next;
}

export function ensureUint8(old: Uint8Array<ArrayBuffer>, needed: number): Uint8Array<ArrayBuffer> {
  if (needed <= old.length) return old;
  const next = new Uint8Array(Math.max(needed, 2 * old.length, 16));
  next.set(old);
  return next;
}
