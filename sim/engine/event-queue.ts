/**
 * The pending-event set: a binary min-heap stored as a struct of typed arrays.
 *
 * Key: (time, insertion sequence). Two events at the same time leave in the order they were pushed,
 * so a run is deterministic without any priority classes. Each entry carries an integer `kind` (which
 * handler receives it) and two integer payload slots `a` and `b` (an entity id and, typically, that
 * entity's version counter at scheduling time, for lazy cancellation).
 *
 * Why hand-written: it is the hot path. No object and no closure is allocated per event; the arrays
 * grow by doubling. Measured in `bench/` against C++ `std::priority_queue`.
 */
export class EventQueue {
  private time: Float64Array;
  private seq: Float64Array;
  private kind: Int32Array;
  private a: Int32Array;
  private b: Int32Array;
  private count = 0;
  private nextSeq = 0;

  /** Fields of the entry removed by the last `pop()`. Read them before the next `pop()`. */
  topTime = 0;
  topKind = 0;
  topA = 0;
  topB = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(2, initialCapacity);
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Int32Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest pending event, or +Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.time[0]! : Number.POSITIVE_INFINITY;
  }

  push(time: number, kind: number, a: number, b: number): void {
    if (this.count === this.time.length) this.grow();
    const seq = this.nextSeq++;
    // Sift up: move parents down until the slot for the new entry is found.
    const timeArr = this.time;
    const seqArr = this.seq;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = timeArr[parent]!;
      if (pt < time || (pt === time && seqArr[parent]! < seq)) break;
      this.moveEntry(parent, i);
      i = parent;
    }
    timeArr[i] = time;
    seqArr[i] = seq;
    this.kind[i] = kind;
    this.a[i] = a;
    this.b[i] = b;
  }

  /** Removes the earliest entry into `topTime/topKind/topA/topB`. Returns false when empty. */
  pop(): boolean {
    const n = this.count;
    if (n === 0) return false;
    const timeArr = this.time;
    const seqArr = this.seq;
    this.topTime = timeArr[0]!;
    this.topKind = this.kind[0]!;
    this.topA = this.a[0]!;
    this.topB = this.b[0]!;
    const last = n - 1;
    this.count = last;
    if (last === 0) return true;
    // Sift the last entry down from the root.
    const t = timeArr[last]!;
    const s = seqArr[last]!;
    const k = this.kind[last]!;
    const ea = this.a[last]!;
    const eb = this.b[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last) {
        const ct = timeArr[child]!;
        const rt = timeArr[right]!;
        if (rt < ct || (rt === ct && seqArr[right]! < seqArr[child]!)) child = right;
      }
      const ct = timeArr[child]!;
      if (t < ct || (t === ct && s < seqArr[child]!)) break;
      this.moveEntry(child, i);
      i = child;
    }
    timeArr[i] = t;
    seqArr[i] = s;
    this.kind[i] = k;
    this.a[i] = ea;
    this.b[i] = eb;
    return true;
  }

  clear(): void {
    this.count = 0;
  }

  private moveEntry(from: number, to: number): void {
    this.time[to] = this.time[from]!;
    this.seq[to] = this.seq[from]!;
    this.kind[to] = this.kind[from]!;
    this.a[to] = this.a[from]!;
    this.b[to] = this.b[from]!;
  }

  private grow(): void {
    const capacity = this.time.length * 2;
    const grown = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.time = grown(this.time, (n) => new Float64Array(n));
    this.seq = grown(this.seq, (n) => new Float64Array(n));
    this.kind = grown(this.kind, (n) => new Int32Array(n));
    this.a = grown(this.a, (n) => new Int32Array(n));
    this.b = grown(this.b, (n) => new Int32Array(n));
  }
}
