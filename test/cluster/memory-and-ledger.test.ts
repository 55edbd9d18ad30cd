import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type MemoryCategory, MemoryLedger, memoryCategories } from "../../sim/cluster/memory.ts";
import { TimeLedger } from "../../sim/metrics/time-ledger.ts";

describe("MemoryLedger", () => {
  it("keeps the peak total, the breakdown at the peak, and the OOM verdict", () => {
    const ledger = new MemoryLedger([100, 50]);
    ledger.allocate(0, "parameters", 40);
    ledger.allocate(0, "gradients", 40);
    ledger.free(0, "gradients", 40);
    ledger.allocate(0, "optimizerState", 30); // 70 < 80: not a new peak
    ledger.allocate(0, "buffers", 20); // 90: the peak
    ledger.free(0, "buffers", 20);
    expect(ledger.verdict(0)).toEqual({
      worker: 0,
      peak: 90,
      capacity: 100,
      outOfMemory: false,
      peakByCategory: { parameters: 40, gradients: 0, optimizerState: 30, buffers: 20 },
    });
    // Reaching the capacity exactly is not an overflow; one byte more is.
    ledger.allocate(1, "parameters", 50);
    expect(ledger.verdict(1).outOfMemory).toBe(false);
    ledger.allocate(1, "buffers", 1);
    expect(ledger.verdict(1)).toMatchObject({ peak: 51, capacity: 50, outOfMemory: true });
    expect(ledger.verdict(1).peakByCategory).toEqual({
      parameters: 50,
      gradients: 0,
      optimizerState: 0,
      buffers: 1,
    });
  });

  it("is empty for a worker that never allocated", () => {
    expect(new MemoryLedger([10]).verdict(0)).toEqual({
      worker: 0,
      peak: 0,
      capacity: 10,
      outOfMemory: false,
      peakByCategory: { parameters: 0, gradients: 0, optimizerState: 0, buffers: 0 },
    });
  });

  it("refuses impossible amounts: negative or NaN allocations and frees, and freeing more than held", () => {
    const ledger = new MemoryLedger([100]);
    ledger.allocate(0, "buffers", 10);
    expect(() => ledger.allocate(0, "buffers", -1)).toThrow(RangeError);
    expect(() => ledger.allocate(0, "buffers", Number.NaN)).toThrow(RangeError);
    expect(() => ledger.free(0, "buffers", 11)).toThrow(RangeError);
    expect(() => ledger.free(0, "parameters", 1)).toThrow(RangeError);
    // A negative free would be an allocation that bypasses the peak; NaN would poison the row.
    expect(() => ledger.free(0, "buffers", -50)).toThrow(RangeError);
    expect(() => ledger.free(0, "buffers", Number.NaN)).toThrow(RangeError);
    // None of the refused calls changed anything.
    ledger.allocate(0, "buffers", 5);
    expect(ledger.verdict(0)).toMatchObject({ peak: 15, outOfMemory: false });
    expect(ledger.verdict(0).peakByCategory.buffers).toBe(15);
  });

  it("matches a plain model on random allocate/free sequences", () => {
    const op = fc.record({
      worker: fc.integer({ min: 0, max: 2 }),
      category: fc.constantFrom(...memoryCategories),
      allocate: fc.boolean(),
      bytes: fc.integer({ min: 0, max: 1000 }),
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 80 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 3, maxLength: 3 }),
        (ops, capacities) => {
          const ledger = new MemoryLedger(capacities);
          const held = capacities.map(
            () => new Map<MemoryCategory, number>(memoryCategories.map((c) => [c, 0])),
          );
          const peak = capacities.map(() => 0);
          const atPeak = capacities.map(
            () => new Map<MemoryCategory, number>(memoryCategories.map((c) => [c, 0])),
          );
          for (const o of ops) {
            const mine = held[o.worker]!;
            if (o.allocate) {
              ledger.allocate(o.worker, o.category, o.bytes);
              mine.set(o.category, mine.get(o.category)! + o.bytes);
              const total = [...mine.values()].reduce((a, b) => a + b, 0);
              if (total > peak[o.worker]!) {
                peak[o.worker] = total;
                atPeak[o.worker] = new Map(mine);
              }
            } else {
              // Free a whole number of bytes, at most what is held.
              const bytes = Math.floor(o.fraction * mine.get(o.category)!);
              ledger.free(o.worker, o.category, bytes);
              mine.set(o.category, mine.get(o.category)! - bytes);
            }
          }
          capacities.forEach((capacity, w) => {
            expect(ledger.verdict(w)).toEqual({
              worker: w,
              peak: peak[w],
              capacity,
              outOfMemory: peak[w]! > capacity,
              peakByCategory: Object.fromEntries(atPeak[w]!),
            });
          });
        },
      ),
      { seed: 8080, numRuns: 300 },
    );
  });
});

type Kind = "computeStart" | "computeEnd" | "commStart" | "commEnd";

interface Op {
  readonly worker: number;
  readonly time: number;
  readonly kind: Kind;
}

/**
 * The brute-force model: on a time grid of unit steps, the state in [t, t + 1) is what the operations
 * at times ≤ t left behind (nested starts count up, ends count down). Each unit is compute if a compute
 * is running, comm if a transfer is, idle if neither; overlap is both.
 */
function bruteForce(ops: readonly Op[], workers: number, horizon: number) {
  const result = Array.from({ length: workers }, () => ({
    compute: 0,
    comm: 0,
    idle: 0,
    exposed: 0,
    overlap: 0,
  }));
  for (let w = 0; w < workers; w++) {
    const mine = ops.filter((o) => o.worker === w);
    for (let t = 0; t < horizon; t++) {
      let computing = 0;
      let communicating = 0;
      for (const o of mine) {
        if (o.time > t) break;
        if (o.kind === "computeStart") computing++;
        else if (o.kind === "computeEnd") computing--;
        else if (o.kind === "commStart") communicating++;
        else communicating--;
      }
      const r = result[w]!;
      if (computing > 0) r.compute++;
      if (communicating > 0) r.comm++;
      if (communicating > 0 && computing === 0) r.exposed++;
      if (communicating > 0 && computing > 0) r.overlap++;
      if (computing === 0 && communicating === 0) r.idle++;
    }
  }
  return result;
}

describe("TimeLedger", () => {
  /**
   * Random well-nested interleavings: workers' operations mixed in one time-ordered stream (several at
   * the same instant allowed), starts and ends of computes and transfers that may nest and overlap.
   */
  const scriptArb = fc
    .record({
      workers: fc.integer({ min: 1, max: 4 }),
      steps: fc.array(
        fc.record({
          worker: fc.nat(),
          dt: fc.integer({ min: 0, max: 3 }),
          pick: fc.nat(),
          close: fc.boolean(),
        }),
        { maxLength: 120 },
      ),
      tail: fc.integer({ min: 0, max: 5 }),
    })
    .map(({ workers, steps, tail }) => {
      const open = Array.from({ length: workers }, () => ({ compute: 0, comm: 0 }));
      const ops: Op[] = [];
      let time = 0;
      for (const s of steps) {
        time += s.dt;
        const worker = s.worker % workers;
        const o = open[worker]!;
        const isCompute = s.pick % 2 === 0;
        const count = isCompute ? o.compute : o.comm;
        // End only what is open; otherwise start.
        const end = s.close && count > 0;
        const kind: Kind = isCompute ? (end ? "computeEnd" : "computeStart") : end ? "commEnd" : "commStart";
        if (isCompute) o.compute += end ? -1 : 1;
        else o.comm += end ? -1 : 1;
        ops.push({ worker, time, kind });
      }
      return { workers, ops, horizon: time + tail };
    });

  it("charges every unit of time to compute, exposed communication or idle, as the interval model does", () => {
    fc.assert(
      fc.property(scriptArb, ({ workers, ops, horizon }) => {
        const ledger = new TimeLedger(workers);
        for (const o of ops) ledger[o.kind](o.worker, o.time);
        ledger.close(horizon);
        const expected = bruteForce(ops, workers, horizon);
        for (let w = 0; w < workers; w++) {
          const e = expected[w]!;
          expect(ledger.computeTime[w]).toBe(e.compute);
          expect(ledger.commTime[w]).toBe(e.comm);
          expect(ledger.idleTime[w]).toBe(e.idle);
          expect(ledger.exposedCommTime[w]).toBe(e.exposed);
          // The accounting identities the run results rely on.
          expect(ledger.computeTime[w]! + ledger.idleTime[w]! + ledger.exposedCommTime[w]!).toBe(horizon);
          expect(ledger.commTime[w]! - ledger.exposedCommTime[w]!).toBe(e.overlap);
        }
      }),
      { seed: 4242, numRuns: 400 },
    );
  });

  it("keeps the identities with real-valued times (relative 1e-12)", () => {
    fc.assert(
      fc.property(
        scriptArb,
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        ({ workers, ops, horizon }, scale) => {
          const ledger = new TimeLedger(workers);
          for (const o of ops) ledger[o.kind](o.worker, o.time * scale);
          ledger.close(horizon * scale);
          const expected = bruteForce(ops, workers, horizon);
          const close = (x: number, y: number) =>
            expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-12 * Math.max(1, horizon) * scale);
          for (let w = 0; w < workers; w++) {
            close(ledger.computeTime[w]! + ledger.idleTime[w]! + ledger.exposedCommTime[w]!, horizon * scale);
            close(ledger.commTime[w]! - ledger.exposedCommTime[w]!, expected[w]!.overlap * scale);
          }
        },
      ),
      { seed: 4343, numRuns: 200 },
    );
  });

  it("a hand-made timeline", () => {
    const ledger = new TimeLedger(1);
    ledger.computeStart(0, 1); // idle [0, 1)
    ledger.commStart(0, 2); // compute only [1, 2)
    ledger.computeEnd(0, 4); // both [2, 4)
    ledger.commStart(0, 5); // comm alone [4, 5), a second transfer
    ledger.commEnd(0, 6);
    ledger.commEnd(0, 7); // comm alone [5, 7)
    ledger.close(10); // idle [7, 10)
    expect(ledger.computeTime[0]).toBe(3);
    expect(ledger.commTime[0]).toBe(5);
    expect(ledger.exposedCommTime[0]).toBe(3);
    expect(ledger.idleTime[0]).toBe(4);
  });
});
