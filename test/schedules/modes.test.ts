import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";

/** Every dispatched event, as one string per event: the timeline of a run. */
function timeline(raw: unknown): { events: string[]; workers: unknown } {
  const events: string[] = [];
  const result = runScenario(decodeScenario(raw), {
    observe: (t, kind, a, b) => events.push(`${t} ${kind} ${a} ${b}`),
  });
  const workers = result.workers.map(({ id, computeTime, commTime, idleTime, bytesSent, counts }) => ({
    id,
    computeTime,
    commTime,
    idleTime,
    bytesSent,
    counts,
  }));
  return { events, workers };
}

function scenario(kind: string, seed: number, workers: number, numerics: "real" | "shape", speeds: number[]) {
  return {
    seed,
    numerics,
    cluster: {
      workers,
      topology: { kind: "ring" },
      device: { duration: "exponential", peakFlops: "1 MFLOP/s" },
      devices: speeds.map((speed, worker) => ({ worker, speed })),
      network: { model: "flow", bandwidth: "1 Gb/s" },
    },
    schedule: { kind, ...(kind === "gossip" || kind === "a2cid2" ? { rate: 1 } : {}) },
    problem: { kind: "least-squares", dimension: 50, samplesPerWorker: 4, batchSize: 2, l2: 1 },
    stop: { time: "0.5 s", events: 4000 },
  };
}

describe("numeric and shape-only runs of a schedule", () => {
  it("have the same timeline, event for event, and the same time accounting", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("gossip", "a2cid2", "dadao", "allreduce-sgd", "zero1", "dpu", "acco"),
        fc.integer({ min: 0, max: 1000 }),
        fc
          .integer({ min: 3, max: 6 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.double({ min: 0.25, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
            ),
          ),
        (kind, seed, [n, speeds]) => {
          const real = timeline(scenario(kind, seed, n, "real", speeds));
          const shape = timeline(scenario(kind, seed, n, "shape", speeds));
          expect(real.events.length).toBeGreaterThan(10);
          expect(shape.events).toEqual(real.events);
          expect(shape.workers).toEqual(real.workers);
        },
      ),
      { numRuns: 21 },
    );
  });
});
