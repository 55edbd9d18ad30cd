/**
 * The pending completions of a flow network: an indexed binary min-heap over typed arrays with one
 * entry per active flow (transfer slot), keyed by (time, sequence).
 *
 * Unlike the engine's event queue, an entry is found by its slot, so a flow whose rate changed gets its
 * new completion time in place (the key may go up or down) and a cancelled flow is removed: nothing
 * stale is left behind, and memory stays O(active flows) however often rates change.
 *
 * `sequence` counts the times an entry was keyed; equal times leave in the order their keys were set,
 * the way the engine orders equal-time events by insertion. No allocation except doubling growth.
 */
import { ensureFloat64, ensureInt32 } from "./typed-growth.ts";

const ABSENT = -1;

export class CompletionHeap {
  /** Heap position → slot. */
  private heap = new Int32Array(16);
  /** Slot → heap position, ABSENT when the slot has no entry. */
  private position = new Int32Array(16).fill(ABSENT);
  /** Per slot: the key of its entry (meaningful only while present). */
  private time = new Float64Array(16);
  private seq = new Float64Array(16);
  private count = 0;
  /** The sequence number the next `set` assigns. */
  sequence = 0;

  get size(): number {
    return this.count;
  }

  /** The slot with the smallest key, or -1 when empty. */
  get min(): number {
    return this.count > 0 ? this.heap[0]! : -1;
  }

  has(slot: number): boolean {
    return slot < this.position.length && this.position[slot] !== ABSENT;
  }

  timeOf(slot: number): number {
    return this.time[slot]!;
  }

  sequenceOf(slot: number): number {
    return this.seq[slot]!;
  }

  /** Gives `slot` the key (time, next sequence): inserts it, or moves its entry up or down. */
  set(slot: number, time: number): void {
    if (slot >= this.position.length) this.growSlots(slot + 1);
    this.time[slot] = time;
    this.seq[slot] = this.sequence++;
    const at = this.position[slot]!;
    if (at === ABSENT) {
      if (this.count === this.heap.length) this.heap = ensureInt32(this.heap, this.count + 1);
      this.siftUp(this.count++, slot);
      return;
    }
    // The new sequence is the largest, so the key only went up if the time did not go down.
    if (at > 0 && this.before(slot, this.heap[(at - 1) >> 1]!)) this.siftUp(at, slot);
    else this.siftDown(at, slot);
  }

  /** Removes `slot`'s entry; no-op when it has none. */
  remove(slot: number): void {
    if (!this.has(slot)) return;
    const at = this.position[slot]!;
    this.position[slot] = ABSENT;
    const last = --this.count;
    if (at === last) return;
    // Put the last entry in the hole, then restore order in whichever direction it is off.
    const moved = this.heap[last]!;
    if (at > 0 && this.before(moved, this.heap[(at - 1) >> 1]!)) this.siftUp(at, moved);
    else this.siftDown(at, moved);
  }

  clear(): void {
    for (let i = 0; i < this.count; i++) this.position[this.heap[i]!] = ABSENT;
    this.count = 0;
  }

  /** Whether slot a's key is smaller than slot b's. */
  private before(a: number, b: number): boolean {
    const ta = this.time[a]!;
    const tb = this.time[b]!;
    return ta < tb || (ta === tb && this.seq[a]! < this.seq[b]!);
  }

  /** Places `slot` at or above heap position `i`, moving larger parents down. */
  private siftUp(i: number, slot: number): void {
    const heap = this.heap;
    const position = this.position;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent]!;
      if (!this.before(slot, above)) break;
      heap[i] = above;
      position[above] = i;
      i = parent;
    }
    heap[i] = slot;
    position[slot] = i;
  }

  /** Places `slot` at or below heap position `i`, moving smaller children up. */
  private siftDown(i: number, slot: number): void {
    const heap = this.heap;
    const position = this.position;
    const n = this.count;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.before(heap[right]!, heap[child]!)) child = right;
      const below = heap[child]!;
      if (!this.before(below, slot)) break;
      heap[i] = below;
      position[below] = i;
      i = child;
    }
    heap[i] = slot;
    position[slot] = i;
  }

  private growSlots(slots: number): void {
    const old = this.position.length;
    this.position = ensureInt32(this.position, slots);
    this.position.fill(ABSENT, old);
    this.time = ensureFloat64(this.time, this.position.length);
    this.seq = ensureFloat64(this.seq, this.position.length);
  }
}
