import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Barrier } from "../../sim/engine/coordination.ts";
import type { ProcessBody } from "../../sim/engine/process.ts";
import { Signal } from "../../sim/engine/waitable.ts";
import { setup, tickArb } from "./process-setup.ts";

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
