import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../sim/result.ts";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";

// "a2cid2-matching": A²CiD² with the authors' availability matching and comm/gradient rendezvous.
const kinds = [
  "gossip",
  "a2cid2",
  "a2cid2-matching",
  "dadao",
  "allreduce-sgd",
  "zero1",
  "dpu",
  "acco",
] as const;

function scheduleOf(kind: (typeof kinds)[number]): Record<string, unknown> {
  return kind === "a2cid2-matching" ? { kind: "a2cid2", pairing: "matching" } : { kind };
}

interface Outage {
  readonly worker: number;
  readonly at: number;
  readonly duration: number;
}

/** Systems mode, random speeds and outages, all outages over by t = 1 s; the run goes on to `until`. */
function run(kind: (typeof kinds)[number], speeds: number[], outages: Outage[], until: number): RunResult {
  return runScenario(
    decodeScenario({
      seed: 7,
      cluster: {
        workers: speeds.length,
        topology: { kind: "ring" },
        device: { peakFlops: "1 MFLOP/s", duration: "exponential" },
        devices: speeds.map((speed, worker) => ({ worker, speed })),
        // One outage per worker at most: the decoder refuses overlapping outages of one worker.
        failures: outages.map((o) => ({ worker: o.worker, at: `${o.at} s`, duration: `${o.duration} s` })),
        network: { bandwidth: "100 Mb/s" },
      },
      schedule: { ...scheduleOf(kind), sampleEvery: "0.5 s" },
      problem: { kind: "least-squares", dimension: 20, samplesPerWorker: 8, batchSize: 4, l2: 1 },
      stop: { time: `${until} s` },
    }),
  );
}

const progress = (r: RunResult, w: number) =>
  (r.workers[w]!.counts.gradients ?? 0) + (r.workers[w]!.counts.microBatches ?? 0);

describe("schedules under failures (systems mode)", () => {
  it("lose the interrupted work, redo it, and every worker progresses again once all are back", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.integer({ min: 3, max: 5 }).chain((n) =>
          fc.tuple(
            fc.array(fc.double({ min: 0.3, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
            fc.uniqueArray(
              fc.record({
                worker: fc.integer({ min: 0, max: n - 1 }),
                at: fc.double({ min: 0.05, max: 0.6, noNaN: true }),
                duration: fc.double({ min: 0.01, max: 0.3, noNaN: true }),
              }),
              { minLength: 1, maxLength: n, selector: (o) => o.worker },
            ),
          ),
        ),
        (kind, [speeds, outages]) => {
          const early = run(kind, speeds, outages, 1);
          const late = run(kind, speeds, outages, 2);
          for (let w = 0; w < speeds.length; w++) {
            // Nothing is down after t = 1 s: every worker must have done more by t = 2 s.
            expect(progress(late, w), `${kind}: worker ${w} stalled`).toBeGreaterThan(progress(early, w));
          }
          // Messages are never lost: every one sent was received, but those still in flight at the end.
          const sent = late.workers.reduce((s, x) => s + (x.counts.messagesSent ?? 0), 0);
          const received = late.workers.reduce((s, x) => s + (x.counts.messagesReceived ?? 0), 0);
          expect(sent - received).toBeGreaterThanOrEqual(0);
          expect(sent - received).toBeLessThanOrEqual(2 * speeds.length);
          // The same scenario twice: the same result.
          const again = run(kind, speeds, outages, 2);
          expect(again.workers.map((x) => x.counts)).toEqual(late.workers.map((x) => x.counts));
        },
      ),
      { numRuns: 25, seed: 11 },
    );
  });

  it("count the work a failure interrupts, and a down worker does nothing while down", () => {
    for (const kind of kinds) {
      const outage = { worker: 0, at: 0.3, duration: 0.4 };
      const before = run(kind, [1, 1, 1, 1], [outage], 0.3);
      const during = run(kind, [1, 1, 1, 1], [outage], 0.7);
      expect(during.workers[0]!.counts.lostJobs, `${kind}: nothing was interrupted`).toBeGreaterThan(0);
      // Work that completes during the outage: none on the failed worker (its in-flight work was lost).
      expect(progress(during, 0), kind).toBe(progress(before, 0));
    }
  });
});
