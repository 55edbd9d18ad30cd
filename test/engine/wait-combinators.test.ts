import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allOf, anyOf, Mailbox, Timeout } from "../../sim/engine/coordination.ts";
import { Interrupt, type Process, type ProcessBody, ProcessError } from "../../sim/engine/process.ts";
import { Signal } from "../../sim/engine/waitable.ts";
import { setup, tickArb } from "./process-setup.ts";

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
