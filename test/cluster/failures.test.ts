import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DownInterval, FailureInjector } from "../../sim/cluster/failures.ts";
import { Simulation, Timers, type TimerTarget } from "../../sim/engine/index.ts";

type Edge = readonly ["down" | "up", number, number]; // kind, worker, time

/** Runs an injector over `intervals` and records its calls, plus isDown at each probe time. */
function runInjector(workers: number, intervals: readonly DownInterval[], probes: readonly number[] = []) {
  const sim = new Simulation();
  const timers = new Timers(sim);
  const edges: Edge[] = [];
  const injector = new FailureInjector(workers, intervals, timers, {
    onDown: (w) => edges.push(["down", w, sim.now]),
    onUp: (w) => edges.push(["up", w, sim.now]),
  });
  const seen: boolean[][] = [];
  const probe: TimerTarget = {
    onTimer: () => {
      seen.push(Array.from({ length: workers }, (_, w) => injector.isDown(w)));
    },
  };
  for (const t of probes) timers.at(t, probe);
  const stop = sim.run();
  return { edges, seen, stop, injector };
}

/**
 * The brute-force model: a worker is down at t when some interval [at, at + duration) holds t; it goes
 * down where the union of its intervals starts and up where the union ends (never, for an endless one).
 */
function unionEdges(workers: number, intervals: readonly DownInterval[]): Edge[] {
  const edges: Edge[] = [];
  for (let w = 0; w < workers; w++) {
    const mine = intervals
      .filter((i) => i.worker === w)
      .map((i) => [i.at, i.at + i.duration] as const)
      .sort((a, b) => a[0] - b[0]);
    let current: [number, number] | undefined;
    for (const [a, b] of mine) {
      if (current !== undefined && a <= current[1]) current[1] = Math.max(current[1], b);
      else {
        if (current !== undefined) edges.push(["down", w, current[0]], ["up", w, current[1]]);
        current = [a, b];
      }
    }
    if (current !== undefined) {
      edges.push(["down", w, current[0]]);
      if (Number.isFinite(current[1])) edges.push(["up", w, current[1]]);
    }
  }
  return edges.sort((x, y) => x[2] - y[2] || x[1] - y[1]);
}

function downAt(intervals: readonly DownInterval[], w: number, t: number): boolean {
  return intervals.some((i) => i.worker === w && i.at <= t && t < i.at + i.duration);
}

describe("FailureInjector", () => {
  it("calls onDown at `at` and onUp at `at + duration`", () => {
    const { edges, seen } = runInjector(
      3,
      [
        { worker: 1, at: 2, duration: 3 },
        { worker: 0, at: 1, duration: 0.5 },
      ],
      [0.5, 1.25, 1.75, 3, 6],
    );
    expect(edges).toEqual([
      ["down", 0, 1],
      ["up", 0, 1.5],
      ["down", 1, 2],
      ["up", 1, 5],
    ]);
    expect(seen).toEqual([
      [false, false, false],
      [true, false, false],
      [false, false, false],
      [false, true, false],
      [false, false, false],
    ]);
  });

  it("nests intervals of one worker: up only when the last one ends", () => {
    // [1, 5) contains [2, 3); [10, 13) and [12, 16) overlap.
    const { edges, seen } = runInjector(
      1,
      [
        { worker: 0, at: 1, duration: 4 },
        { worker: 0, at: 2, duration: 1 },
        { worker: 0, at: 10, duration: 3 },
        { worker: 0, at: 12, duration: 4 },
      ],
      [2.5, 3.5, 4.5, 5.5, 12.5, 14, 16.5],
    );
    expect(edges).toEqual([
      ["down", 0, 1],
      ["up", 0, 5],
      ["down", 0, 10],
      ["up", 0, 16],
    ]);
    expect(seen.map((s) => s[0])).toEqual([true, true, true, false, true, true, false]);
  });

  it("never brings back a worker that fails forever, even when a finite interval ends inside", () => {
    const { edges, seen, stop } = runInjector(
      2,
      [
        { worker: 1, at: 3, duration: Number.POSITIVE_INFINITY },
        { worker: 1, at: 4, duration: 1 },
        { worker: 0, at: 0, duration: Number.POSITIVE_INFINITY },
      ],
      [1, 3.5, 4.5, 100],
    );
    expect(edges).toEqual([
      ["down", 0, 0],
      ["down", 1, 3],
    ]);
    expect(seen).toEqual([
      [true, false],
      [true, true],
      [true, true],
      [true, true],
    ]);
    // No timer is scheduled for an infinite end: the run drains.
    expect(stop).toBe("drained");
  });

  it("matches the union-of-intervals model on random interval sets", () => {
    // Distinct boundary times (from a set of unique integers), so no two edges tie.
    const arb = fc
      .record({
        workers: fc.integer({ min: 1, max: 4 }),
        times: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { minLength: 2, maxLength: 24 }),
        seeds: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
      })
      .map(({ workers, times, seeds }) => {
        const intervals: DownInterval[] = [];
        for (let k = 0; k + 1 < times.length; k += 2) {
          const [a, b] = [times[k]!, times[k + 1]!].sort((x, y) => x - y) as [number, number];
          const seed = seeds[(k / 2) % seeds.length]!;
          // One interval in five never ends.
          const duration = seed % 5 === 0 ? Number.POSITIVE_INFINITY : b - a;
          intervals.push({ worker: seed % workers, at: a, duration });
        }
        return { workers, intervals };
      });
    fc.assert(
      fc.property(arb, ({ workers, intervals }) => {
        const probes = Array.from({ length: 82 }, (_, i) => 5 * i + 0.5);
        const { edges, seen, injector } = runInjector(workers, intervals, probes);
        expect(edges).toEqual(unionEdges(workers, intervals));
        probes.forEach((t, i) => {
          for (let w = 0; w < workers; w++)
            expect(seen[i]![w], `worker ${w} at ${t}`).toBe(downAt(intervals, w, t));
        });
        // After everything: down exactly the workers with an endless interval.
        for (let w = 0; w < workers; w++) {
          expect(injector.isDown(w)).toBe(
            intervals.some((i) => i.worker === w && !Number.isFinite(i.duration)),
          );
        }
      }),
      { seed: 31337, numRuns: 300 },
    );
  });
});
