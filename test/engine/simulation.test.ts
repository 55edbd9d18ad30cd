import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../sim/engine/random.ts";
import {
  type EventHandler,
  type RunLimits,
  SchedulingError,
  Simulation,
  type StopReason,
} from "../../sim/engine/simulation.ts";

type Trace = [time: number, kind: number, a: number, b: number][];

/** Mostly small values (ties, zero delays), sometimes any non-negative double up to 1e9. */
const delayArb = fc.oneof(
  { arbitrary: fc.constantFrom(0, 0, 0.5, 1, 2), weight: 3 },
  { arbitrary: fc.double({ min: 0, max: 1e9, noNaN: true }), weight: 1 },
);

interface Schedule {
  readonly initial: readonly number[];
  /** Consumed in order by handlers; bounds the number of events of one run. */
  readonly delays: readonly number[];
  /** How many children the k-th dispatched event schedules (cycled). */
  readonly fanout: readonly number[];
  /** Kind (0 or 1) of the k-th scheduled child (cycled). */
  readonly kinds: readonly number[];
}

const scheduleArb: fc.Arbitrary<Schedule> = fc.record({
  initial: fc.array(delayArb, { minLength: 1, maxLength: 10 }),
  delays: fc.array(delayArb, { maxLength: 150 }),
  fanout: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 10 }),
  kinds: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 5 }),
});

interface ScheduledEvent {
  readonly id: number;
  readonly time: number;
}

/**
 * Builds a simulation running `schedule`: each event `a` (its scheduling index) is recorded and schedules
 * further events with the next delays. Returns what the observer and the handlers saw.
 */
function buildSchedule(schedule: Schedule) {
  const sim = new Simulation(2);
  const scheduled: ScheduledEvent[] = [];
  const observed: Trace = [];
  const handledAt: number[] = [];
  let nextDelay = 0;
  let dispatched = 0;
  const kinds: number[] = [];
  const schedule1 = (time: number, kind: number) => {
    const id = scheduled.length;
    scheduled.push({ id, time });
    sim.at(time, kinds[kind]!, id, kind);
  };
  const handler: EventHandler = {
    handle(kind, a, b) {
      handledAt.push(sim.now);
      expect(kind).toBe(kinds[b]);
      expect(a).toBe(observed[observed.length - 1]![2]);
      const children = schedule.fanout[dispatched++ % schedule.fanout.length]!;
      for (let c = 0; c < children && nextDelay < schedule.delays.length; c++) {
        const kindIndex = schedule.kinds[scheduled.length % schedule.kinds.length]!;
        schedule1(sim.now + schedule.delays[nextDelay++]!, kindIndex);
      }
    },
  };
  kinds.push(sim.registerKind("k0", handler), sim.registerKind("k1", handler));
  sim.observe((time, kind, a, b) => observed.push([time, kind, a, b]));
  for (const [i, t] of schedule.initial.entries()) schedule1(t, i % 2);
  return { sim, scheduled, observed, handledAt };
}

describe("Simulation clock and dispatch", () => {
  it("never moves time backwards, dispatches each event once at its time, FIFO among ties", () => {
    fc.assert(
      fc.property(scheduleArb, (schedule) => {
        const { sim, scheduled, observed, handledAt } = buildSchedule(schedule);
        expect(sim.run()).toBe("drained");
        expect(sim.pending).toBe(0);
        expect(observed.length).toBe(scheduled.length);
        expect(sim.events).toBe(scheduled.length);
        const seen = new Set<number>();
        for (let i = 0; i < observed.length; i++) {
          const [time, , id] = observed[i]!;
          expect(Object.is(time, handledAt[i])).toBe(true);
          expect(time).toBe(scheduled[id]!.time);
          expect(seen.has(id)).toBe(false);
          seen.add(id);
          if (i > 0) {
            const [prevTime, , prevId] = observed[i - 1]!;
            expect(time >= prevTime).toBe(true);
            // Equal times leave in scheduling order.
            if (time === prevTime) expect(id).toBeGreaterThan(prevId);
          }
        }
        if (observed.length > 0) expect(sim.now).toBe(observed[observed.length - 1]![0]);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("gives the same trace when run in pieces (random until / maxEvents) as in one go", () => {
    const limitArb: fc.Arbitrary<RunLimits> = fc.oneof(
      fc.record({ until: fc.double({ min: 0, max: 10, noNaN: true }) }),
      fc.record({ maxEvents: fc.integer({ min: 0, max: 5 }) }),
      fc.record({
        until: fc.double({ min: 0, max: 10, noNaN: true }),
        maxEvents: fc.integer({ min: 0, max: 5 }),
      }),
    );
    fc.assert(
      fc.property(scheduleArb, fc.array(limitArb, { maxLength: 20 }), (schedule, limits) => {
        const whole = buildSchedule(schedule);
        whole.sim.run();
        const pieces = buildSchedule(schedule);
        let lastNow = 0;
        for (const limit of limits) {
          const before = pieces.observed.length;
          const reason: StopReason = pieces.sim.run(limit);
          const count = pieces.observed.length - before;
          if (limit.maxEvents !== undefined) expect(count).toBeLessThanOrEqual(limit.maxEvents);
          if (limit.until !== undefined) {
            for (const [t] of pieces.observed.slice(before)) expect(t).toBeLessThanOrEqual(limit.until);
          }
          if (reason === "events") expect(count).toBe(limit.maxEvents);
          if (reason === "time") expect(pieces.sim.nextEventTime()).toBeGreaterThan(limit.until!);
          expect(pieces.sim.now).toBeGreaterThanOrEqual(lastNow);
          lastNow = pieces.sim.now;
        }
        expect(pieces.sim.run()).toBe("drained");
        expect(pieces.observed).toEqual(whole.observed);
      }),
      { numRuns: 200, seed: 12 },
    );
  });
});

/** A small stochastic model: workers compute for random times and send messages with random latency. */
function stochasticTrace(seed: number, workers = 6, horizon = 50): Trace {
  const sim = new Simulation();
  const streams = new RandomStreams(seed);
  const compute = Array.from({ length: workers }, (_, w) => streams.stream("compute", w));
  const net = Array.from({ length: workers }, (_, w) => streams.stream("net", w));
  let messages = 0;
  const trace: Trace = [];
  const handler: EventHandler = {
    handle(kind, a) {
      if (kind === computeDone) {
        const to = net[a]!.int(workers);
        sim.after(net[a]!.exponential(4), message, to, messages++);
        sim.after(compute[a]!.exponential(1), computeDone, a, 0);
      }
      // A message is just received; the trace records it.
    },
  };
  const computeDone = sim.registerKind("compute-done", handler);
  const message = sim.registerKind("message", handler);
  sim.observe((t, k, a, b) => trace.push([t, k, a, b]));
  for (let w = 0; w < workers; w++) sim.at(compute[w]!.exponential(1), computeDone, w, 0);
  expect(sim.run({ until: horizon })).toBe("time");
  return trace;
}

describe("determinism", () => {
  it("same seed, identical trace; different seed, different trace", () => {
    const a = stochasticTrace(1234);
    const b = stochasticTrace(1234);
    expect(a.length).toBeGreaterThan(300);
    expect(b).toEqual(a);
    const c = stochasticTrace(1235);
    expect(c).not.toEqual(a);
    // Not merely a different length: the very first event already differs.
    expect(c[0]).not.toEqual(a[0]);
  });

  it("same seed, identical trace, as a property over seeds, worker counts and horizons", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 30 }),
        (seed, workers, horizon) => {
          const a = stochasticTrace(seed, workers, horizon);
          expect(stochasticTrace(seed, workers, horizon)).toEqual(a);
        },
      ),
      { numRuns: 100, seed: 13 },
    );
  });
});

describe("scheduling errors", () => {
  const noop: EventHandler = { handle() {} };

  it("rejects a time before now, NaN, and negative or NaN delays, without queueing anything", () => {
    const sim = new Simulation();
    const kind = sim.registerKind("noop", noop);
    expect(() => sim.at(-1e-300, kind)).toThrow(SchedulingError);
    expect(() => sim.at(Number.NaN, kind)).toThrow(SchedulingError);
    expect(() => sim.after(-1, kind)).toThrow(SchedulingError);
    expect(() => sim.after(Number.NaN, kind)).toThrow(SchedulingError);
    expect(() => sim.at(Number.NEGATIVE_INFINITY, kind)).toThrow(SchedulingError);
    expect(sim.pending).toBe(0);
    sim.at(0, kind);
    sim.after(0, kind);
    expect(sim.pending).toBe(2);
  });

  it("rejects the past once the clock has advanced, inside a handler and after run", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 1e12, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (now, fraction) => {
          const past = now * fraction;
          fc.pre(past < now);
          const sim = new Simulation();
          let inside: unknown;
          const kind = sim.registerKind("probe", {
            handle() {
              try {
                sim.at(past, kind);
              } catch (error) {
                inside = error;
              }
            },
          });
          sim.at(now, kind);
          sim.run();
          expect(inside).toBeInstanceOf(SchedulingError);
          expect((inside as Error).name).toBe("SchedulingError");
          expect((inside as Error).message).toContain("probe");
          expect(() => sim.at(past, kind)).toThrow(SchedulingError);
          expect(() => sim.after(-(now - past), kind)).toThrow(SchedulingError);
          expect(sim.pending).toBe(0);
        },
      ),
      { numRuns: 300, seed: 13 },
    );
  });
});

describe("run limits", () => {
  function timeline(times: readonly number[]) {
    const sim = new Simulation();
    const seen: number[] = [];
    const kind = sim.registerKind("tick", { handle: (_k, a) => seen.push(a) });
    for (const [i, t] of times.entries()) sim.at(t, kind, i);
    return { sim, seen, kind };
  }

  it("until: dispatches events at or before until, then sets now = until", () => {
    const { sim, seen, kind } = timeline([1, 2, 2.5, 3, 5]);
    expect(sim.run({ until: 2.5 })).toBe("time");
    expect(seen).toEqual([0, 1, 2]);
    expect(sim.now).toBe(2.5);
    expect(sim.pending).toBe(2);
    expect(sim.run({ until: 4 })).toBe("time");
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(sim.now).toBe(4);
    // The idle interval counts: 3.5 is in the past now.
    expect(() => sim.at(3.5, kind)).toThrow(SchedulingError);
    expect(sim.run()).toBe("drained");
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(sim.now).toBe(5);
  });

  it("until before every event advances the clock and dispatches nothing", () => {
    const { sim, seen } = timeline([10]);
    expect(sim.run({ until: 3 })).toBe("time");
    expect(seen).toEqual([]);
    expect(sim.now).toBe(3);
  });

  it("until, as a property: exactly the events at or before until are dispatched", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (times, until) => {
          const { sim, seen } = timeline(times);
          const reason = sim.run({ until });
          const expected = times.flatMap((t, i) => (t <= until ? [i] : []));
          expect([...seen].sort((x, y) => x - y)).toEqual(expected);
          if (expected.length < times.length) {
            expect(reason).toBe("time");
            expect(sim.now).toBe(until);
          } else expect(reason).toBe("drained");
        },
      ),
      { numRuns: 300, seed: 14 },
    );
  });

  it("maxEvents: dispatches exactly that many per call", () => {
    const { sim, seen } = timeline([1, 1, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(sim.run({ maxEvents: 0 })).toBe("events");
    expect(seen).toEqual([]);
    expect(sim.run({ maxEvents: 3 })).toBe("events");
    expect(seen).toEqual([0, 1, 2]);
    expect(sim.now).toBe(1);
    expect(sim.run({ maxEvents: 3 })).toBe("events");
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sim.events).toBe(6);
    // until reached first.
    expect(sim.run({ maxEvents: 3, until: 5.5 })).toBe("time");
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(sim.now).toBe(5.5);
    expect(sim.run({ maxEvents: 100 })).toBe("drained");
    expect(sim.events).toBe(10);
  });

  it("stop(): the current run returns after the event being dispatched; a later run continues", () => {
    const sim = new Simulation();
    const seen: number[] = [];
    const kind = sim.registerKind("tick", {
      handle(_k, a) {
        seen.push(a);
        if (a === 3) sim.stop();
      },
    });
    for (let i = 0; i < 8; i++) sim.at(i, kind, i);
    expect(sim.run()).toBe("stopped");
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(sim.now).toBe(3);
    expect(sim.pending).toBe(4);
    expect(sim.run()).toBe("drained");
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("names kinds in errors and in kindName", () => {
    const sim = new Simulation();
    const k = sim.registerKind("gradient-ready", { handle() {} });
    expect(sim.kindName(k)).toBe("gradient-ready");
    expect(sim.kindName(99)).toBe("kind#99");
    expect(() => sim.at(-1, k)).toThrow(/gradient-ready/);
  });
});
