import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/errors.ts";
import type { RunResult } from "../../sim/result.ts";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";
import type { Scenario } from "../../sim/scenario/types.ts";

/**
 * Whole-run invariants over generated scenarios (the fixed cases are in run.test.ts): every workload,
 * both network models, random topologies, duration laws, stragglers and failures, each drawn by
 * fast-check. Runs are small (≤ 8 workers, ≤ 0.15 s simulated) so that each property stays cheap.
 */

interface Knobs {
  readonly seed: number;
  readonly workers: number;
  readonly model: "alpha-beta" | "flow";
  readonly layout: "switch" | "graph" | "hierarchical";
  readonly topology: "ring" | "complete" | "star" | "path" | "exponential" | "erdos-renyi";
  readonly duration: "deterministic" | "exponential" | "lognormal" | "gamma" | "uniform";
  readonly workload: "gossip-timing" | "p2p" | "allreduce";
  readonly algorithm: "ring" | "tree" | "halving-doubling" | "closed-form";
  readonly stragglers: boolean;
  readonly failure: boolean;
  readonly time: number;
  readonly megabytes: number;
}

const knobsArb: fc.Arbitrary<Knobs> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  // Even counts only: the hierarchical layout needs gpusPerNode = 2 to divide them, halving-doubling a power of two.
  workers: fc.constantFrom(2, 4, 6, 8),
  model: fc.constantFrom("alpha-beta" as const, "flow" as const),
  layout: fc.constantFrom("switch" as const, "graph" as const, "hierarchical" as const),
  topology: fc.constantFrom(
    "ring" as const,
    "complete" as const,
    "star" as const,
    "path" as const,
    "exponential" as const,
    "erdos-renyi" as const,
  ),
  duration: fc.constantFrom(
    "deterministic" as const,
    "exponential" as const,
    "lognormal" as const,
    "gamma" as const,
    "uniform" as const,
  ),
  workload: fc.constantFrom("gossip-timing" as const, "p2p" as const, "allreduce" as const),
  algorithm: fc.constantFrom(
    "ring" as const,
    "tree" as const,
    "halving-doubling" as const,
    "closed-form" as const,
  ),
  stragglers: fc.boolean(),
  failure: fc.boolean(),
  time: fc.integer({ min: 20, max: 150 }).map((ms) => ms / 1000),
  megabytes: fc.integer({ min: 1, max: 4 }),
});

function scenarioOf(k: Knobs): Scenario {
  const bytes = `${k.megabytes} MB`;
  const network: Record<string, unknown> = { model: k.model, layout: k.layout, bandwidth: "10 Gb/s" };
  if (k.layout === "graph") network.topology = { kind: "ring" };
  if (k.layout === "hierarchical") network.gpusPerNode = 2;
  const halvingDoublingFits = (k.workers & (k.workers - 1)) === 0;
  const schedule =
    k.workload === "gossip-timing"
      ? { kind: "gossip-timing", computeTime: "10 ms", rate: 1.5, bytes }
      : k.workload === "p2p"
        ? {
            kind: "p2p",
            transfers: [{ src: 0, dst: 1, bytes, at: 0 }],
            random: { count: 30, bytes, rate: 400 },
          }
        : {
            kind: "allreduce",
            count: 2,
            bytes,
            algorithm: k.algorithm === "halving-doubling" && !halvingDoublingFits ? "ring" : k.algorithm,
            gap: "1 ms",
          };
  return decodeScenario({
    seed: k.seed,
    cluster: {
      workers: k.workers,
      topology: k.topology === "erdos-renyi" ? { kind: "erdos-renyi", p: 0.9 } : { kind: k.topology },
      device: { duration: k.duration, cv: 0.5 },
      network,
      ...(k.stragglers ? { stragglers: { random: { rate: 20, duration: "5 ms", factor: 3 } } } : {}),
      ...(k.failure ? { failures: [{ worker: k.workers - 1, at: k.time / 3, duration: k.time / 4 }] } : {}),
    },
    schedule,
    stop: { time: k.time },
  });
}

/** Runs with an observer that keeps the whole event trace as numbers (time, kind, a, b, …). */
function tracedRun(s: Scenario): { result: RunResult; trace: number[] } {
  const trace: number[] = [];
  const result = runScenario(s, { observe: (t, kind, a, b) => trace.push(t, kind, a, b) });
  return { result, trace };
}

/** The traced run, or a skipped input when the drawn Erdős–Rényi graph is disconnected (refused). */
function tracedRunIfConnected(s: Scenario): { result: RunResult; trace: number[] } {
  try {
    return tracedRun(s);
  } catch (error) {
    if (error instanceof InputError && error.path === "cluster.topology") fc.pre(false);
    throw error;
  }
}

function withoutWallClock(r: RunResult): Omit<RunResult, "wallTime" | "eventsPerSecond"> {
  const { wallTime: _w, eventsPerSecond: _e, ...rest } = r;
  return rest;
}

describe("generated scenarios", () => {
  it("the same seed gives an identical event trace and result; time never decreases; bytes sent = received", () => {
    fc.assert(
      fc.property(knobsArb, (k) => {
        const s = scenarioOf(k);
        const a = tracedRunIfConnected(s);
        const b = tracedRun(s);
        expect(a.trace.length).toBeGreaterThan(0);
        expect(b.trace).toEqual(a.trace);
        expect(withoutWallClock(b.result)).toEqual(withoutWallClock(a.result));
        for (let i = 4; i < a.trace.length; i += 4)
          expect(a.trace[i]!).toBeGreaterThanOrEqual(a.trace[i - 4]!);
        expect(a.result.simTime).toBeGreaterThanOrEqual(a.trace[a.trace.length - 4]!);
        const sent = a.result.workers.reduce((sum, w) => sum + w.bytesSent, 0);
        const received = a.result.workers.reduce((sum, w) => sum + w.bytesReceived, 0);
        expect(sent).toBe(received);
        for (const w of a.result.workers) {
          expect(w.bytesSent).toBeGreaterThanOrEqual(0);
          expect(w.bytesReceived).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("adding a worker leaves every other worker's compute draws (and straggler episodes) unchanged", () => {
    // gossip-timing computes back to back whatever the network does, so a worker's gradient count and
    // compute time are functions of its own compute and straggler streams only. With one more worker
    // the ring (and so the gossip traffic) changes, but workers 0..n−1 must compute exactly as before.
    fc.assert(
      fc.property(
        knobsArb.filter((k) => !k.failure),
        fc.integer({ min: 1, max: 3 }),
        (k, extra) => {
          const base = {
            ...k,
            workload: "gossip-timing" as const,
            layout: "switch" as const,
            topology: "ring" as const,
          };
          const small = runScenario(scenarioOf(base)).workers;
          const large = runScenario(scenarioOf({ ...base, workers: k.workers + extra })).workers;
          expect(large).toHaveLength(k.workers + extra);
          for (const w of small) {
            const same = large[w.id]!;
            expect(same.counts.gradients).toBe(w.counts.gradients);
            expect(same.computeTime).toBe(w.computeTime);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
