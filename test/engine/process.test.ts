import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allOf, anyOf, Barrier, Mailbox, Timeout } from "../../sim/engine/coordination.ts";
import {
  Interrupt,
  type Process,
  type ProcessBody,
  ProcessError,
  Processes,
} from "../../sim/engine/process.ts";
import { Simulation } from "../../sim/engine/simulation.ts";
import { Timers } from "../../sim/engine/timers.ts";
import { Signal } from "../../sim/engine/waitable.ts";

/** A simulation with timers and processes, counting dispatched resumptions per process id. */
function setup() {
  const sim = new Simulation(2);
  const timers = new Timers(sim);
  const procs = new Processes(sim);
  const resumes = new Map<number, number>();
  let timerEvents = 0;
  sim.observe((_time, kind, a) => {
    const name = sim.kindName(kind);
    if (name === "resume") resumes.set(a, (resumes.get(a) ?? 0) + 1);
    else if (name === "timer") timerEvents++;
  });
  return {
    sim,
    timers,
    procs,
    /** Resume events dispatched for process id `id` (stale ones included). */
    resumesOf: (id: number) => resumes.get(id) ?? 0,
    timerEvents: () => timerEvents,
  };
}

/** Small values with many ties: the interesting interleavings happen at equal times. */
const tickArb = fc.constantFrom(0, 0, 0.5, 1, 1, 1.5, 2, 3);

describe("processes: sleeping, spawning, joining", () => {
  it("sleeps and resumes at the right times, interleaving with other processes", () => {
    const { sim, procs } = setup();
    const log: [string, number][] = [];
    procs.spawn(
      "a",
      (function* () {
        log.push(["a", sim.now]);
        yield 1.5;
        log.push(["a", sim.now]);
        yield 2;
        log.push(["a", sim.now]);
        yield 0;
        log.push(["a", sim.now]);
      })(),
    );
    procs.spawn(
      "b",
      (function* () {
        for (let i = 0; i < 3; i++) {
          yield 1;
          log.push(["b", sim.now]);
        }
        // A child spawned at t = 3 takes its first step at t = 3.
        procs.spawn(
          "c",
          (function* () {
            log.push(["c", sim.now]);
            yield 0.25;
            log.push(["c", sim.now]);
          })(),
        );
      })(),
    );
    expect(sim.run()).toBe("drained");
    expect(log).toEqual([
      ["a", 0],
      ["b", 1],
      ["a", 1.5],
      ["b", 2],
      ["b", 3],
      ["c", 3],
      ["c", 3.25],
      ["a", 3.5],
      ["a", 3.5],
    ]);
    expect(procs.running).toBe(0);
  });

  it("a process joining another gets its return value when it finishes, or at once if already done", () => {
    const { sim, procs } = setup();
    const worker = procs.spawn(
      "worker",
      (function* (): ProcessBody<number> {
        yield 3;
        return 42;
      })(),
    );
    const got: [number, number][] = [];
    const joiner = function* (delay: number): ProcessBody<string> {
      yield delay;
      const value: number = yield* worker;
      got.push([sim.now, value]);
      return `saw ${value}`;
    };
    const early = procs.spawn("early", joiner(1));
    const late = procs.spawn("late", joiner(5));
    sim.run();
    expect(got).toEqual([
      [3, 42],
      [5, 42],
    ]);
    expect(worker.state).toBe("succeeded");
    expect(worker.value).toBe(42);
    expect([early.value, late.value]).toEqual(["saw 42", "saw 42"]);
  });

  it("a negative sleep is a ProcessError naming the process", () => {
    const { sim, procs } = setup();
    procs.spawn(
      "bad-sleeper",
      (function* () {
        yield -1;
      })(),
    );
    expect(() => sim.run()).toThrow(/bad-sleeper/);
  });
});

describe("Signal", () => {
  it("wakes all waiters at the same time, in the order they started waiting, with the typed value", () => {
    const { sim, procs } = setup();
    const signal = new Signal<string>();
    const woke: [number, number, string][] = [];
    for (let i = 0; i < 5; i++) {
      procs.spawn(
        `waiter-${i}`,
        (function* () {
          // Waiter 4 subscribes first, waiter 0 last.
          yield (4 - i) * 0.1;
          const value: string = yield* signal;
          woke.push([i, sim.now, value]);
        })(),
      );
    }
    procs.spawn(
      "trigger",
      (function* () {
        yield 7;
        signal.succeed("go");
      })(),
    );
    procs.spawn(
      "latecomer",
      (function* () {
        yield 9;
        const value = yield* signal;
        woke.push([99, sim.now, value]);
      })(),
    );
    sim.run();
    expect(woke).toEqual([
      [4, 7, "go"],
      [3, 7, "go"],
      [2, 7, "go"],
      [1, 7, "go"],
      [0, 7, "go"],
      [99, 9, "go"],
    ]);
  });

  it("a failed signal throws its error into every waiter", () => {
    const { sim, procs } = setup();
    const signal = new Signal<number>();
    const caught: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      procs.spawn(
        `w${i}`,
        (function* () {
          try {
            yield* signal;
          } catch (error) {
            caught.push([sim.now, error]);
          }
        })(),
      );
    }
    const boom = new Error("link down");
    procs.spawn(
      "trigger",
      (function* () {
        yield 2;
        signal.fail(boom);
      })(),
    );
    sim.run();
    expect(caught).toEqual([
      [2, boom],
      [2, boom],
      [2, boom],
    ]);
    expect(() => signal.succeed(1)).toThrow(/completed twice/);
  });
});

describe("Barrier", () => {
  it("releases every party exactly when the last arrives, and is reusable", () => {
    const { sim, procs } = setup();
    const barrier = new Barrier(3);
    // arrivals[party][round]: sleep before arriving.
    const arrivals = [
      [1, 4, 0],
      [2, 0.5, 0],
      [5, 1, 3],
    ];
    const released: [party: number, round: number, time: number, generation: number][] = [];
    for (const [party, sleeps] of arrivals.entries()) {
      procs.spawn(
        `party-${party}`,
        (function* () {
          for (const [round, sleep] of sleeps.entries()) {
            yield sleep;
            const generation: number = yield* barrier.arrive();
            released.push([party, round, sim.now, generation]);
          }
        })(),
      );
    }
    expect(sim.run({ until: 4.9 })).toBe("time");
    expect(barrier.waiting).toBe(2);
    expect(released).toEqual([]);
    sim.run();
    // Round 0 at max(1, 2, 5) = 5; round 1 at 5 + max(4, 0.5, 1) = 9; round 2 at 9 + max(0, 0, 3) = 12.
    const byRound = (round: number) => released.filter((r) => r[1] === round);
    expect(byRound(0).map((r) => [r[2], r[3]])).toEqual([
      [5, 0],
      [5, 0],
      [5, 0],
    ]);
    expect(byRound(1).map((r) => [r[2], r[3]])).toEqual([
      [9, 1],
      [9, 1],
      [9, 1],
    ]);
    expect(byRound(2).map((r) => [r[2], r[3]])).toEqual([
      [12, 2],
      [12, 2],
      [12, 2],
    ]);
    expect(barrier.waiting).toBe(0);
  });

  it("as a property: each generation is released at the latest arrival of that round", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((parties) =>
          fc.array(fc.array(tickArb, { minLength: 3, maxLength: 3 }), {
            minLength: parties,
            maxLength: parties,
          }),
        ),
        (sleeps) => {
          const { sim, procs } = setup();
          const barrier = new Barrier(sleeps.length);
          const released: [number, number, number][] = [];
          const arrivedAt = sleeps.map(() => [] as number[]);
          for (const [party, own] of sleeps.entries()) {
            procs.spawn(
              `p${party}`,
              (function* () {
                for (const [round, sleep] of own.entries()) {
                  yield sleep;
                  arrivedAt[party]!.push(sim.now);
                  const generation = yield* barrier.arrive();
                  released.push([round, sim.now, generation]);
                }
              })(),
            );
          }
          sim.run();
          expect(released.length).toBe(3 * sleeps.length);
          for (const [round, time, generation] of released) {
            expect(generation).toBe(round);
            expect(time).toBe(Math.max(...arrivedAt.map((a) => a[round]!)));
          }
        },
      ),
      { numRuns: 200, seed: 31 },
    );
  });
});

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

describe("anyOf / allOf", () => {
  it("anyOf of timeouts completes at the earliest; the losers' timers are cancelled", () => {
    const { sim, timers, procs, resumesOf, timerEvents } = setup();
    const timeouts = [new Timeout(timers, 5), new Timeout(timers, 2), new Timeout(timers, 9)];
    const log: unknown[] = [];
    const racer = procs.spawn(
      "racer",
      (function* () {
        const first = yield* anyOf(timeouts);
        log.push([sim.now, first.index]);
        yield 20;
        log.push([sim.now]);
      })(),
    );
    expect(sim.run()).toBe("drained");
    expect(log).toEqual([[2, 1], [22]]);
    // The losers never completed: their timer events popped stale and were dropped.
    expect(timeouts.map((t) => t.state)).toEqual(["pending", "succeeded", "pending"]);
    // Exactly three resumptions: first step, anyOf, sleep. No wake-up came from the cancelled timers.
    expect(resumesOf(racer.id)).toBe(3);
    expect(timerEvents()).toBe(3);
    expect(sim.pending).toBe(0);
    expect(sim.events).toBe(6);
  });

  it("racing timeouts fire exactly at the earliest delay while cancelled timers' slots are reused", () => {
    const raceArb = fc.tuple(
      tickArb,
      tickArb.map((t) => t * 3),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(raceArb, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 4 }),
        (racers) => {
          const { sim, timers, procs, resumesOf } = setup();
          const spawned: Process[] = [];
          let races = 0;
          for (const [r, races_] of racers.entries()) {
            spawned.push(
              procs.spawn(
                `racer-${r}`,
                (function* () {
                  for (const [d1, d2] of races_) {
                    const start = sim.now;
                    const first = yield* anyOf([new Timeout(timers, d1), new Timeout(timers, d2)]);
                    expect(sim.now).toBe(start + Math.min(d1, d2));
                    // On a tie the timer created first fires first.
                    expect(first.index).toBe(d1 <= d2 ? 0 : 1);
                    races++;
                  }
                })(),
              ),
            );
          }
          expect(sim.run()).toBe("drained");
          expect(races).toBe(racers.flat().length);
          // First step plus one resumption per race: a stale timer never woke anyone.
          for (const [r, p] of spawned.entries()) expect(resumesOf(p.id)).toBe(1 + racers[r]!.length);
        },
      ),
      { numRuns: 300, seed: 43 },
    );
  });

  it("anyOf with an already-complete child completes at once and cancels the rest", () => {
    const { sim, timers, procs } = setup();
    const done = new Signal<string>();
    done.succeed("ready");
    const timeout = new Timeout(timers, 4);
    let result: unknown;
    procs.spawn(
      "p",
      (function* () {
        const first = yield* anyOf([timeout, done]);
        result = [sim.now, first];
      })(),
    );
    sim.run();
    expect(result).toEqual([0, { index: 1, value: "ready" }]);
    expect(timeout.state).toBe("pending");
  });

  it("allOf waits for every child and returns their values in order; fails at the first failure", () => {
    const { sim, timers, procs } = setup();
    const signal = new Signal<string>();
    const worker = procs.spawn(
      "worker",
      (function* (): ProcessBody<number> {
        yield 4;
        return 7;
      })(),
    );
    let all: unknown;
    procs.spawn(
      "all",
      (function* () {
        const values = yield* allOf([new Timeout(timers, 3), signal, worker]);
        all = [sim.now, values];
      })(),
    );
    const failing = new Signal<number>();
    let failure: unknown;
    procs.spawn(
      "fails",
      (function* () {
        try {
          yield* allOf([new Timeout(timers, 10), failing]);
        } catch (error) {
          failure = [sim.now, error];
        }
      })(),
    );
    let empty: unknown;
    procs.spawn(
      "empty",
      (function* () {
        const values = yield* allOf([]);
        empty = [sim.now, values];
      })(),
    );
    procs.spawn(
      "trigger",
      (function* () {
        yield 2;
        failing.fail("broken");
        yield 3;
        signal.succeed("x");
      })(),
    );
    sim.run();
    expect(all).toEqual([5, [undefined, "x", 7]]);
    expect(failure).toEqual([2, "broken"]);
    expect(empty).toEqual([0, []]);
  });
});

describe("interrupt", () => {
  it("throws Interrupt into a sleeping process at the interrupt time; it may catch it and go on", () => {
    const { sim, procs, resumesOf } = setup();
    const log: unknown[] = [];
    const sleeper = procs.spawn(
      "sleeper",
      (function* (): ProcessBody<string> {
        try {
          yield 10;
          log.push(["woke normally", sim.now]);
        } catch (error) {
          expect(error).toBeInstanceOf(Interrupt);
          log.push(["interrupted", sim.now, (error as Interrupt).cause]);
        }
        yield 2;
        log.push(["slept again", sim.now]);
        return "done";
      })(),
    );
    procs.spawn(
      "killer",
      (function* () {
        yield 3;
        sleeper.interrupt("boom");
      })(),
    );
    sim.run();
    expect(log).toEqual([
      ["interrupted", 3, "boom"],
      ["slept again", 5],
    ]);
    expect(sleeper.value).toBe("done");
    // First step, interrupt, second sleep; the stale wake at t = 10 was dropped.
    expect(resumesOf(sleeper.id)).toBe(4);
    expect(sim.now).toBe(10);
  });

  it("an uncaught Interrupt ends the process quietly and fails its join with the Interrupt", () => {
    const { sim, procs } = setup();
    const victim = procs.spawn(
      "victim",
      (function* () {
        yield 10;
      })(),
    );
    let joined: unknown;
    procs.spawn(
      "joiner",
      (function* () {
        try {
          yield* victim;
        } catch (error) {
          joined = [sim.now, error];
        }
      })(),
    );
    procs.spawn(
      "killer",
      (function* () {
        yield 3;
        victim.interrupt("power loss");
        victim.interrupt("again"); // same instant: still one Interrupt
        yield 1;
        victim.interrupt("after death"); // no-op once finished
      })(),
    );
    expect(sim.run()).toBe("drained");
    expect(victim.state).toBe("failed");
    expect(victim.error).toBeInstanceOf(Interrupt);
    expect((victim.error as Interrupt).cause).toBe("again");
    expect(joined).toEqual([3, victim.error]);
    expect(procs.running).toBe(0);
  });

  it("any other uncaught error surfaces from run() as a ProcessError naming the process", () => {
    const { sim, procs } = setup();
    const original = new Error("disk full");
    procs.spawn(
      "checkpoint-writer-7",
      (function* () {
        yield 2;
        throw original;
      })(),
    );
    let thrown: unknown;
    try {
      sim.run();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProcessError);
    const error = thrown as ProcessError;
    expect(error.processName).toBe("checkpoint-writer-7");
    expect(error.original).toBe(original);
    expect(error.message).toContain("checkpoint-writer-7");
    expect(error.message).toContain("disk full");
    expect(sim.now).toBe(2);
  });

  it("a process interrupting its own group (itself included) gets one Interrupt at its next yield", () => {
    const { sim, procs, resumesOf } = setup();
    const box = new Mailbox<string>();
    const group: Process[] = [];
    const log: unknown[] = [];
    const member = (name: string) =>
      function* () {
        try {
          yield 5;
          log.push([name, "woke", sim.now]);
          if (name === "leader") for (const p of group) p.interrupt("group failure");
          yield 5; // the leader's Interrupt arrives here, at once
          log.push([name, "woke", sim.now]);
        } catch (error) {
          log.push([name, "interrupted", sim.now, (error as Interrupt).cause]);
        }
        yield 1;
        log.push([name, "recovered", sim.now]);
        if (name === "leader") {
          group[0]!.interrupt("again"); // itself alone
          // A get that took an item must give it back when the Interrupt replaces its answer.
          try {
            yield* box.get();
          } catch (error) {
            log.push([name, "interrupted", sim.now, (error as Interrupt).cause]);
          }
        }
      };
    box.put("item");
    group.push(procs.spawn("leader", member("leader")()), procs.spawn("follower", member("follower")()));
    sim.run();
    expect(log).toEqual([
      ["leader", "woke", 5],
      ["leader", "interrupted", 5, "group failure"],
      ["follower", "interrupted", 5, "group failure"],
      ["leader", "recovered", 6],
      ["follower", "recovered", 6],
      ["leader", "interrupted", 6, "again"],
    ]);
    // leader: start, wake at 5, Interrupt at 5, wake at 6, Interrupt at 6. The sleep it yielded after
    // interrupting itself was never scheduled: nothing is left for t = 10.
    expect(resumesOf(group[0]!.id)).toBe(5);
    expect(sim.now).toBe(6);
    expect(box.size).toBe(1);
  });

  it("stale resumptions never resume a process that reuses the id (property)", () => {
    const specArb = fc.record({
      spawnAt: fc.integer({ min: 0, max: 20 }).map((t) => t / 2),
      sleeps: fc.array(tickArb, { minLength: 1, maxLength: 5 }),
      diesOnInterrupt: fc.boolean(),
    });
    const hitArb = fc.record({ at: fc.integer({ min: 0, max: 30 }).map((t) => t / 2), target: fc.nat(29) });
    let runsWithReuse = 0;
    fc.assert(
      fc.property(
        fc.array(specArb, { minLength: 1, maxLength: 30 }),
        fc.array(hitArb, { maxLength: 40 }),
        (specs, hits) => {
          const { sim, procs } = setup();
          type Entry = { kind: "wake"; at: number; due: number } | { kind: "interrupt"; at: number };
          const logs: Entry[][] = specs.map(() => []);
          const started: boolean[] = specs.map(() => false);
          const spawned: Process[] = [];
          /** Interrupts issued while the target was started and not finished: it must see each one. */
          const expectedInterrupts: number[][] = specs.map(() => []);
          const body = function* (k: number) {
            started[k] = true;
            const spec = specs[k]!;
            for (const d of spec.sleeps) {
              const due = sim.now + d;
              try {
                yield d;
                logs[k]!.push({ kind: "wake", at: sim.now, due });
              } catch (error) {
                if (!(error instanceof Interrupt)) throw error;
                logs[k]!.push({ kind: "interrupt", at: sim.now });
                if (spec.diesOnInterrupt) throw error;
              }
            }
          };
          const order = specs
            .map((s, k) => [s.spawnAt, k] as const)
            .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
          procs.spawn(
            "spawner",
            (function* () {
              for (const [at, k] of order) {
                yield at - sim.now;
                spawned[k] = procs.spawn(`p${k}`, body(k));
              }
            })(),
          );
          procs.spawn(
            "interrupter",
            (function* () {
              for (const hit of [...hits].sort((x, y) => x.at - y.at)) {
                yield hit.at - sim.now;
                const k = hit.target % specs.length;
                const target = spawned[k];
                if (target === undefined) continue;
                if (started[k] && !target.done) expectedInterrupts[k]!.push(sim.now);
                target.interrupt("hit");
              }
            })(),
          );
          expect(sim.run()).toBe("drained");
          expect(procs.running).toBe(0);
          const ids = new Set(spawned.map((p) => p.id));
          if (ids.size < specs.length) runsWithReuse++;
          for (const [k, log] of logs.entries()) {
            const p = spawned[k]!;
            expect(p.done).toBe(true);
            for (const entry of log) if (entry.kind === "wake") expect(entry.at).toBe(entry.due);
            expect(log.filter((e) => e.kind === "interrupt").map((e) => e.at)).toEqual(expectedInterrupts[k]);
            const died = specs[k]!.diesOnInterrupt && log.some((e) => e.kind === "interrupt");
            if (!started[k]) {
              // Interrupted before its first step: it never ran.
              expect(p.state).toBe("failed");
            } else if (died) {
              expect(p.state).toBe("failed");
              expect(log[log.length - 1]!.kind).toBe("interrupt");
              expect(log.length).toBeLessThanOrEqual(specs[k]!.sleeps.length);
            } else {
              expect(p.state).toBe("succeeded");
              // One record per sleep: no extra resumption, none missing.
              expect(log.length).toBe(specs[k]!.sleeps.length);
            }
          }
        },
      ),
      { numRuns: 1000, seed: 51 },
    );
    // The property is only meaningful if ids were actually reused in many runs.
    expect(runsWithReuse).toBeGreaterThan(200);
  });
});
