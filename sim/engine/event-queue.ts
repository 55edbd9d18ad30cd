/**
 * The pending-event set: a binary min-heap stored as typed arrays.
 *
 * Key: (time, insertion sequence). Two events at the same time leave in the order they were pushed,
 * so a run is deterministic without any priority classes. Each entry carries an integer `kind` (which
 * handler receives it) and two integer payload slots `a` and `b` (an entity id and, typically, that
 * entity's version counter at scheduling time, for lazy cancellation).
 *
 * Layout: the heap itself holds only (time, slot); the sequence number and the payload live in slot
 * arrays, reached only when an entry is popped or when two times tie. Sifting therefore moves 12
 * bytes per level instead of 28, which measured 20–25 % faster than a heap of whole entries (see
 * `bench/`). No object and no closure is allocated per event; arrays grow by doubling.
 */
export class EventQueue {
  private heapTime: Float64Array;
  private heapSlot: Int32Array;
  private slotSeq: Float64Array;
  private slotKind: Int32Array;
  private slotA: Int32Array;
  private slotB: Int32Array;
  private freeSlots: Int32Array;
  private freeCount: number;
  private count = 0;
  private nextSeq = 0;

  /** Fields of the entry removed by the last `pop()`. Read them before the next `pop()`. */
  topTime = 0;
  topKind = 0;
  topA = 0;
  topB = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(2, initialCapacity);
    this.heapTime = new Float64Array(capacity);
    this.heapSlot = new Int32Array(capacity);
    this.slotSeq = new Float64Array(capacity);
    this.slotKind = new Int32Array(capacity);
    this.slotA = new Int32Array(capacity);
    this.slotB = new Int32Array(capacity);
    this.freeSlots = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeSlots[i] = capacity - 1 - i;
    this.freeCount = capacity;
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest pending event, or +Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.heapTime[0]! : Number.POSITIVE_INFINITY;
  }

  push(time: number, kind: number, a: number, b: number): void {
    if (this.freeCount === 0) this.grow();
    const slot = this.freeSlots[--this.freeCount]!;
    const seq = this.nextSeq++;
    this.slotSeq[slot] = seq;
    this.slotKind[slot] = kind;
    this.slotA[slot] = a;
    this.slotB[slot] = b;
    // Sift up: move parents down until the place of the new entry is found.
    const times = this.heapTime;
    const slots = this.heapSlot;
    const seqs = this.slotSeq;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTime = times[parent]!;
      if (parentTime < time || (parentTime === time && seqs[slots[parent]!]! < seq)) break;
      times[i] = parentTime;
      slots[i] = slots[parent]!;
      i = parent;
    }
    times[i] = time;
    slots[i] = slot;
  }

  /** Removes the earliest entry into `topTime/topKind/topA/topB`. Returns false when empty. */
  pop(): boolean {
    const n = this.count;
    if (n === 0) return false;
    const times = this.heapTime;
    const slots = this.heapSlot;
    const seqs = this.slotSeq;
    const top = slots[0]!;
    this.topTime = times[0]!;
    this.topKind = this.slotKind[top]!;
    this.topA = this.slotA[top]!;
    this.topB = this.slotB[top]!;
    this.freeSlots[this.freeCount++] = top;
    const last = n - 1;
    this.count = last;
    if (last === 0) return true;
    // Sift the last entry down from the root.
    const time = times[last]!;
    const slot = slots[last]!;
    const seq = seqs[slot]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      let childTime = times[child]!;
      const right = child + 1;
      if (right < last) {
        const rightTime = times[right]!;
        if (
          rightTime < childTime ||
          (rightTime === childTime && seqs[slots[right]!]! < seqs[slots[child]!]!)
        ) {
          child = right;
          childTime = rightTime;
        }
      }
      if (time < childTime || (time === childTime && seq < seqs[slots[child]!]!)) break;
      times[i] = childTime;
      slots[i] = slots[child]!;
      i = child;
    }
    times[i] = time;
    slots[i] = slot;
    return true;
  }

  clear(): void {
    const capacity = this.heapTime.length;
    this.count = 0;
    for (let i = 0; i < capacity; i++) this.freeSlots[i] = capacity - 1 - i;
    this.freeCount = capacity;
  }

  private grow(): void {
    const old = this.heapTime.length;
    const capacity = old * 2;
    this.heapTime = grownFloat(this.heapTime, capacity);
    this.heapSlot = grownInt(this.heapSlot, capacity);
    this.slotSeq = grownFloat(this.slotSeq, capacity);
    this.slotKind = grownInt(this.slotKind, capacity);
    this.slotA = grownInt(this.slotA, capacity);
    this.slotB = grownInt(this.slotB, capacity);
    // Every old slot is in use (we only grow when none is free): the new ones are the free ones.
    this.freeSlots = new Int32Array(capacity);
    for (let i = 0; i < capacity - old; i++) this.freeSlots[i] = capacity - 1 - i;
    this.freeCount = capacity - old;
  }
}

function grownFloat(old: Float64Array, capacity: number): Float64Array {
  const next = new Float64Array(capacity);
  next.set(old);
  return next;
}

function grownInt(old: Int32Array, capacity: number): Int32Array {
  const next = new Int32Array(capacity);
  next.set(old);
  return next;
}
