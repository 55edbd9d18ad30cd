import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../sim/engine/event-queue.ts";
import { RandomStreams } from "../../sim/engine/random.ts";

/** The model: a list kept sorted by (time, push order); equal times stay in push order (FIFO). */
interface Entry {
  readonly time: number;
  readonly kind: number;
  readonly a: number;
  readonly b: number;
}

interface Model {
  entries: Entry[];
  /** Unique id written into each pushed entry's `a`, so identity (and FIFO among ties) is checked. */
  nextId: number;
}

function modelInsert(model: Model, entry: Entry): void {
  // After every entry with time ≤ the new time (`<=` treats -0 and 0 as a tie, as the heap must).
  let i = model.entries.length;
  while (i > 0 && model.entries[i - 1]!.time > entry.time) i--;
  model.entries.splice(i, 0, entry);
}

function checkAgainstModel(model: Model, real: EventQueue): void {
  expect(real.size).toBe(model.entries.length);
  const head = model.entries[0];
  // Object.is: the head must be the very entry the model expects (it tells -0 from 0).
  expect(Object.is(real.peekTime(), head === undefined ? Number.POSITIVE_INFINITY : head.time)).toBe(true);
}

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

/** Mostly a few values (many ties, -0 against 0, infinities), sometimes any double but NaN. */
const timeArb = fc.oneof(
  {
    arbitrary: fc.constantFrom(0, -0, 1, 1, 1, 2, 2.5, 3, 1e-300, Number.MAX_VALUE, Infinity, -Infinity),
    weight: 4,
  },
  { arbitrary: fc.double({ noNaN: true }), weight: 1 },
);

class PushCommand implements fc.Command<Model, EventQueue> {
  readonly time: number;
  readonly kind: number;
  readonly b: number;
  constructor(time: number, kind: number, b: number) {
    this.time = time;
    this.kind = kind;
    this.b = b;
  }
  check(): boolean {
    return true;
  }
  run(model: Model, real: EventQueue): void {
    const a = model.nextId++;
    modelInsert(model, { time: this.time, kind: this.kind, a, b: this.b });
    real.push(this.time, this.kind, a, this.b);
    checkAgainstModel(model, real);
  }
  toString(): string {
    return `push(${Object.is(this.time, -0) ? "-0" : this.time}, ${this.kind}, ·, ${this.b})`;
  }
}

/** A burst of pushes: drives the heap through several doublings from its initial capacity of 2. */
class PushManyCommand implements fc.Command<Model, EventQueue> {
  readonly times: readonly number[];
  constructor(times: readonly number[]) {
    this.times = times;
  }
  check(): boolean {
    return true;
  }
  run(model: Model, real: EventQueue): void {
    for (const time of this.times) {
      const a = model.nextId++;
      modelInsert(model, { time, kind: a % 7, a, b: ~a });
      real.push(time, a % 7, a, ~a);
      checkAgainstModel(model, real);
    }
  }
  toString(): string {
    return `pushMany([${this.times.map((t) => (Object.is(t, -0) ? "-0" : String(t))).join(", ")}])`;
  }
}

class PopCommand implements fc.Command<Model, EventQueue> {
  check(): boolean {
    return true;
  }
  run(model: Model, real: EventQueue): void {
    const expected = model.entries.shift();
    const popped = real.pop();
    expect(popped).toBe(expected !== undefined);
    if (expected !== undefined) {
      expect(Object.is(real.topTime, expected.time)).toBe(true);
      expect(real.topKind).toBe(expected.kind);
      expect(real.topA).toBe(expected.a);
      expect(real.topB).toBe(expected.b);
    }
    checkAgainstModel(model, real);
  }
  toString(): string {
    return "pop()";
  }
}

class ClearCommand implements fc.Command<Model, EventQueue> {
  check(): boolean {
    return true;
  }
  run(model: Model, real: EventQueue): void {
    model.entries = [];
    real.clear();
    checkAgainstModel(model, real);
  }
  toString(): string {
    return "clear()";
  }
}

const commandArb = fc.oneof(
  { arbitrary: fc.tuple(timeArb, int32, int32).map(([t, k, b]) => new PushCommand(t, k, b)), weight: 6 },
  {
    arbitrary: fc.array(timeArb, { minLength: 1, maxLength: 40 }).map((ts) => new PushManyCommand(ts)),
    weight: 1,
  },
  { arbitrary: fc.constant(new PopCommand()), weight: 5 },
  { arbitrary: fc.constant(new ClearCommand()), weight: 1 },
);

describe("EventQueue against a sorted-array model", () => {
  it("agrees on size, peekTime and every popped entry (FIFO among equal times), growing from capacity 2", () => {
    fc.assert(
      fc.property(fc.commands([commandArb], { maxCommands: 300 }), (cmds) => {
        fc.modelRun(() => ({ model: { entries: [], nextId: 0 }, real: new EventQueue(2) }), cmds);
      }),
      { numRuns: 400, seed: 20240611 },
    );
  });

  it("pops a large random interleaving in (time, push order) order", () => {
    // Deeper heaps than the property reaches: 20k pushes with times in {0..9} (thousands of ties each).
    const rng = new RandomStreams(7).stream("event-queue-bulk");
    const queue = new EventQueue(2);
    const model: Model = { entries: [], nextId: 0 };
    for (let step = 0; step < 40_000; step++) {
      if (rng.uniform() < 0.55) {
        const time = rng.int(10);
        const a = model.nextId++;
        modelInsert(model, { time, kind: 0, a, b: 0 });
        queue.push(time, 0, a, 0);
      } else {
        const expected = model.entries.shift();
        expect(queue.pop()).toBe(expected !== undefined);
        if (expected !== undefined && queue.topA !== expected.a) {
          expect.fail(`step ${step}: popped id ${queue.topA} at t=${queue.topTime}, expected ${expected.a}`);
        }
      }
    }
    expect(queue.size).toBe(model.entries.length);
    expect(model.entries.length).toBeGreaterThan(1000);
    let last = Number.NEGATIVE_INFINITY;
    let lastA = -1;
    while (queue.pop()) {
      expect(queue.topTime >= last).toBe(true);
      if (queue.topTime === last) expect(queue.topA).toBeGreaterThan(lastA);
      last = queue.topTime;
      lastA = queue.topA;
    }
    expect(queue.size).toBe(0);
    expect(queue.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });

  it("keeps the integer payload slots as int32", () => {
    const queue = new EventQueue(2);
    queue.push(1, 2 ** 31 - 1, -(2 ** 31), 123456789);
    expect(queue.pop()).toBe(true);
    expect([queue.topTime, queue.topKind, queue.topA, queue.topB]).toEqual([
      1,
      2 ** 31 - 1,
      -(2 ** 31),
      123456789,
    ]);
    expect(queue.pop()).toBe(false);
  });
});
