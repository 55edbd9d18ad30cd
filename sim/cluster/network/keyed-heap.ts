/**
 * A binary min-heap of (key, id, stamp) entries in typed arrays, for the max-min solver's "which
 * constraint saturates next" question. Ties on key are broken by id so the order, and hence the
 * floating-point rounding of the solution, does not depend on insertion order. `stamp` lets the caller
 * recognise entries made stale by a later push for the same id (lazy deletion, no decrease-key).
 */
import { ensureFloat64, ensureInt32 } from "./typed-growth.ts";

export class KeyedHeap {
  private keys = new Float64Array(64);
  private ids = new Int32Array(64);
  private stamps = new Int32Array(64);
  private count = 0;
  /** Fields of the entry removed by the last `pop()`. */
  topKey = 0;
  topId = 0;
  topStamp = 0;

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
  }

  push(key: number, id: number, stamp: number): void {
    if (this.count === this.keys.length) {
      this.keys = ensureFloat64(this.keys, this.count + 1);
      this.ids = ensureInt32(this.ids, this.count + 1);
      this.stamps = ensureInt32(this.stamps, this.count + 1);
    }
    const keys = this.keys;
    const ids = this.ids;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk < key || (pk === key && ids[parent]! < id)) break;
      keys[i] = pk;
      ids[i] = ids[parent]!;
      this.stamps[i] = this.stamps[parent]!;
      i = parent;
    }
    keys[i] = key;
    ids[i] = id;
    this.stamps[i] = stamp;
  }

  /** Removes the smallest entry into `topKey/topId/topStamp`; false when empty. */
  pop(): boolean {
    const n = this.count;
    if (n === 0) return false;
    const keys = this.keys;
    const ids = this.ids;
    const stamps = this.stamps;
    this.topKey = keys[0]!;
    this.topId = ids[0]!;
    this.topStamp = stamps[0]!;
    const last = n - 1;
    this.count = last;
    if (last === 0) return true;
    const key = keys[last]!;
    const id = ids[last]!;
    const stamp = stamps[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last) {
        const ck = keys[child]!;
        const rk = keys[right]!;
        if (rk < ck || (rk === ck && ids[right]! < ids[child]!)) child = right;
      }
      const ck = keys[child]!;
      if (key < ck || (key === ck && id < ids[child]!)) break;
      keys[i] = ck;
      ids[i] = ids[child]!;
      stamps[i] = stamps[child]!;
      i = child;
    }
    keys[i] = key;
    ids[i] = id;
    stamps[i] = stamp;
    return true;
  }
}
