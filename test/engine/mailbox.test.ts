import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allOf, anyOf, Mailbox, Timeout } from "../../sim/engine/coordination.ts";
import { Interrupt, type Process } from "../../sim/engine/process.ts";
import { Signal } from "../../sim/engine/waitable.ts";
import { setup, tickArb } from "./process-setup.ts";

describe("Mailbox", () => {
  it("is FIFO for items and for waiting getters", () => {
    const { sim, procs } = setup();
    const box = new Mailbox<string>();
    for (const item of ["a", "b", "c"]) box.put(item);
    expect(box.size).toBe(3);
    const got: [string, number, string][] = [];
    procs.spawn(
      "drainer",
      (function* () {
        for (let i = 0; i < 3; i++) {
          const item = yield* box.get();
          got.push(["drainer", sim.now, item]);
        }
      })(),
    );
    for (let i = 0; i < 3; i++) {
      procs.spawn(
        `getter-${i}`,
        (function* () {
          yield 1 + i * 0.1; // getter-0 waits first
          const item = yield* box.get();
          got.push([`getter-${i}`, sim.now, item]);
        })(),
      );
    }
    procs.spawn(
      "producer",
      (function* () {
        yield 2;
        expect(box.waiting).toBe(3);
        for (const item of ["x", "y", "z"]) box.put(item);
      })(),
    );
    sim.run();
    expect(got).toEqual([
      ["drainer", 0, "a"],
      ["drainer", 0, "b"],
      ["drainer", 0, "c"],
      ["getter-0", 2, "x"],
      ["getter-1", 2, "y"],
      ["getter-2", 2, "z"],
    ]);
    expect(box.size).toBe(0);
    expect(box.waiting).toBe(0);
  });

  it("keeps FIFO order across its internal compaction", () => {
    const box = new Mailbox<number>();
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) box.put(next++);
      for (let i = 0; i < 5; i++) {
        const get = box.get();
        expect(get.done).toBe(true);
        out.push(get.value!);
      }
    }
    while (box.size > 0) out.push(box.get().value!);
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  interface Op {
    readonly sleep: number;
    /** Undefined: a plain get (may block for ever); a number: `anyOf([get, Timeout(d)])`. */
    readonly timeout: number | undefined;
  }

  const scenarioArb = fc.record({
    producers: fc.array(fc.array(tickArb, { maxLength: 8 }), { minLength: 1, maxLength: 4 }),
    consumers: fc.array(
      fc.array(fc.record({ sleep: tickArb, timeout: fc.option(tickArb, { nil: undefined }) }), {
        maxLength: 10,
      }),
      { minLength: 1, maxLength: 4 },
    ),
  });

  /** Runs producers and consumers on one mailbox; optional interrupts of consumers at given times. */
  function runMailbox(
    producers: readonly (readonly number[])[],
    consumers: readonly (readonly Op[])[],
    hits: readonly { at: number; consumer: number }[] = [],
  ) {
    const { sim, timers, procs } = setup();
    const box = new Mailbox<string>();
    const puts: string[] = [];
    const received: string[] = [];
    let blockedOnPlainGet = 0;
    for (const [p, sleeps] of producers.entries()) {
      procs.spawn(
        `producer-${p}`,
        (function* () {
          for (const [k, sleep] of sleeps.entries()) {
            yield sleep;
            const item = `${p}:${k}`;
            puts.push(item);
            box.put(item);
          }
        })(),
      );
    }
    const consumerProcesses: Process[] = [];
    for (const [c, ops] of consumers.entries()) {
      consumerProcesses.push(
        procs.spawn(
          `consumer-${c}`,
          (function* () {
            for (const op of ops) {
              try {
                yield op.sleep;
                if (op.timeout === undefined) {
                  blockedOnPlainGet++;
                  try {
                    received.push(yield* box.get());
                  } finally {
                    blockedOnPlainGet--;
                  }
                } else {
                  const first = yield* anyOf([box.get(), new Timeout(timers, op.timeout)]);
                  if (first.index === 0) received.push(first.value as string);
                }
              } catch (error) {
                if (!(error instanceof Interrupt)) throw error;
              }
            }
          })(),
        ),
      );
    }
    procs.spawn(
      "interrupter",
      (function* () {
        for (const hit of [...hits].sort((x, y) => x.at - y.at)) {
          yield hit.at - sim.now;
          consumerProcesses[hit.consumer % consumerProcesses.length]!.interrupt("hit");
        }
      })(),
    );
    expect(sim.run()).toBe("drained");
    // A getter left behind by a timed-out or interrupted get would swallow an item: none may remain.
    expect(box.waiting).toBe(blockedOnPlainGet);
    const remaining: string[] = [];
    while (box.size > 0) remaining.push(box.get().value!);
    return { puts, received, remaining };
  }

  it("with random producers and consumers (some with timeouts), no item is lost or duplicated, FIFO", () => {
    fc.assert(
      fc.property(scenarioArb, ({ producers, consumers }) => {
        const { puts, received, remaining } = runMailbox(producers, consumers);
        // Deliveries happen in put order and resumptions in delivery order: the consumers' records,
        // followed by what is left in the box, are exactly the put sequence.
        expect([...received, ...remaining]).toEqual(puts);
      }),
      { numRuns: 500, seed: 41 },
    );
  });

  it("interrupting consumers at random times loses and duplicates no item", () => {
    const hitArb = fc.record({ at: tickArb.map((t) => t * 2), consumer: fc.nat(3) });
    fc.assert(
      fc.property(scenarioArb, fc.array(hitArb, { maxLength: 8 }), ({ producers, consumers }, hits) => {
        const { puts, received, remaining } = runMailbox(producers, consumers, hits);
        expect([...received, ...remaining].sort()).toEqual([...puts].sort());
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it("an interrupted getter leaves the queue: the next item goes to the next getter", () => {
    const { sim, procs } = setup();
    const box = new Mailbox<string>();
    const log: unknown[] = [];
    const first = procs.spawn(
      "first",
      (function* () {
        try {
          yield* box.get();
          log.push("first got an item");
        } catch (error) {
          log.push(["first interrupted", sim.now, (error as Interrupt).cause]);
        }
      })(),
    );
    procs.spawn(
      "second",
      (function* () {
        yield 0.5;
        const item = yield* box.get();
        log.push(["second got", sim.now, item]);
      })(),
    );
    procs.spawn(
      "control",
      (function* () {
        yield 1;
        first.interrupt("cancel");
        yield 1;
        box.put("x");
      })(),
    );
    sim.run();
    expect(log).toEqual([
      ["first interrupted", 1, "cancel"],
      ["second got", 2, "x"],
    ]);
  });

  it("an interrupted getter with nobody behind it leaves the item in the box", () => {
    const { sim, procs } = setup();
    const box = new Mailbox<string>();
    const getter = procs.spawn(
      "getter",
      (function* () {
        yield* box.get();
      })(),
    );
    procs.spawn(
      "control",
      (function* () {
        yield 1;
        getter.interrupt("cancel");
        yield 1;
        box.put("x");
      })(),
    );
    sim.run();
    expect(getter.state).toBe("failed");
    expect(box.size).toBe(1);
    expect(box.waiting).toBe(0);
  });

  it("an item delivered to a getter that is interrupted before it resumes is not lost", () => {
    // put and interrupt at the same instant: the item was handed to the getter's waitable, but the
    // getter never ran to see it. It must be received by someone or stay in the box.
    const { sim, procs } = setup();
    const box = new Mailbox<string>();
    const received: string[] = [];
    const getter = procs.spawn(
      "getter",
      (function* () {
        try {
          received.push(yield* box.get());
        } catch (error) {
          if (!(error instanceof Interrupt)) throw error;
        }
      })(),
    );
    procs.spawn(
      "control",
      (function* () {
        yield 1;
        box.put("x");
        getter.interrupt("cancel");
      })(),
    );
    sim.run();
    expect([...received, ...(box.size > 0 ? [box.get().value] : [])]).toEqual(["x"]);
  });

  it("an item taken at once by a get is not lost when the getter is interrupted at that instant", () => {
    const { sim, procs } = setup();
    const box = new Mailbox<string>();
    box.put("x");
    box.put("y");
    const getter = procs.spawn(
      "getter",
      (function* () {
        yield 1;
        yield* box.get(); // takes "x" at once; resumption still pending when the interrupt comes
      })(),
    );
    procs.spawn(
      "control",
      (function* () {
        yield 1;
        getter.interrupt("cancel");
      })(),
    );
    sim.run();
    expect(getter.state).toBe("failed");
    // Back at the head of the box, in order.
    expect([box.get().value, box.get().value, box.size]).toEqual(["x", "y", 0]);
  });

  it("anyOf over two mailboxes that both hold an item takes one and leaves the other in its box", () => {
    const { sim, procs } = setup();
    const left = new Mailbox<string>();
    const right = new Mailbox<string>();
    left.put("l1");
    right.put("r1");
    right.put("r2");
    let first: unknown;
    procs.spawn(
      "selector",
      (function* () {
        first = yield* anyOf([left.get(), right.get()]);
      })(),
    );
    sim.run();
    expect(first).toEqual({ index: 0, value: "l1" });
    expect([right.size, right.get().value, right.get().value]).toEqual([2, "r1", "r2"]);
  });

  it("items held by an allOf are given back when its waiter is interrupted or it fails", () => {
    const { sim, timers, procs } = setup();
    const box = new Mailbox<string>();
    box.put("a");
    box.put("b");
    const waiter = procs.spawn(
      "waiter",
      (function* () {
        yield* allOf([box.get(), box.get(), new Timeout(timers, 10)]);
      })(),
    );
    const failing = new Signal<void>();
    procs.spawn(
      "control",
      (function* () {
        yield 1;
        waiter.interrupt("cancel");
        yield 1;
        // A second allOf that fails after its gets succeeded.
        try {
          yield* allOf([box.get(), failing]);
        } catch {
          // expected
        }
      })(),
    );
    procs.spawn(
      "failer",
      (function* () {
        yield 3;
        failing.fail("broken");
      })(),
    );
    sim.run();
    expect(waiter.state).toBe("failed");
    expect([box.size, box.get().value, box.get().value]).toEqual([2, "a", "b"]);
  });
});
