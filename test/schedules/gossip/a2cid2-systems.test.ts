import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../sim/engine/index.ts";
import { runScenario } from "../../../sim/run.ts";
import { decodeScenario } from "../../../sim/scenario/decode.ts";
import { runWith, withSets } from "./scenarios.ts";

/**
 * A²CiD² in systems mode: gradients take device time, exchanges network time. A small cluster where
 * both matter: a gradient of the 10-parameter least squares (100 samples) takes ~0.8 ms at 10 MFLOP/s
 * (speed 1, exponential durations), an exchange of 40 bytes ~0.4 ms each way on a 1 Mb/s, 100 µs
 * network. Device speeds are drawn at random in [0.2, 3] (seeded), so the threads of fast and slow
 * workers wait for each other at the rendezvous and at the coordinator.
 */

function randomSpeeds(workers: number, seed: number): string {
  const rng = new RandomStreams(seed).stream("speeds");
  const devices = Array.from(
    { length: workers },
    (_, w) => `{worker: ${w}, speed: ${(0.2 + 2.8 * rng.uniform()).toFixed(3)}}`,
  );
  return `cluster.devices=[${devices.join(", ")}]`;
}

function cluster(workers: number, topology: string, seed = 1): object {
  return {
    name: "a2cid2-systems",
    seed,
    cluster: {
      workers,
      topology: { kind: topology },
      device: { duration: "exponential", peakFlops: "10 MFLOP/s" },
      network: { model: "alpha-beta", layout: "switch", bandwidth: "1 Mb/s", latency: "100 us" },
    },
    schedule: { kind: "a2cid2", fidelity: "systems", rate: 1, lr: 0.02, pairing: "matching" },
    problem: { kind: "least-squares", dimension: 10, heterogeneity: 1 },
    stop: { time: "1 s" },
  };
}

const counts = (r: ReturnType<typeof runWith>, name: string) => r.workers.map((w) => w.counts[name] ?? 0);

describe("A²CiD², systems mode", () => {
  it.each(["poisson", "matching"])("%s pairing: deterministic per seed, and the seed matters", (pairing) => {
    const raw = cluster(8, "ring");
    const sets = [`schedule.pairing=${pairing}`, randomSpeeds(8, 1), "schedule.variant=code"];
    const strip = (r: ReturnType<typeof runWith>) => ({ ...r, wallTime: 0, eventsPerSecond: 0 });
    const first = strip(runWith(raw, sets));
    const again = strip(runWith(raw, sets));
    const other = strip(runWith(raw, [...sets, "seed=2"]));
    expect(again).toEqual(first);
    expect(other.workers).not.toEqual(first.workers);
  });

  it.each([
    ["ring", 16, 1],
    ["ring", 16, 0.5],
    ["exponential", 16, 2],
    ["complete", 9, 1],
  ] as const)(
    "matching on a %s of %i at rate %d: every worker keeps computing and exchanging; exchanges complete",
    (topology, workers, rate) => {
      const raw = cluster(workers, topology, 3);
      const sets = [`schedule.rate=${rate}`, randomSpeeds(workers, 7)];
      const horizons = ["0.4 s", "0.8 s", "1.2 s"];
      const runs = horizons.map((h) => runWith(raw, [...sets, `stop.time=${h}`]));
      for (let k = 0; k < runs.length; k++) {
        const gradients = counts(runs[k]!, "gradients");
        const exchanges = counts(runs[k]!, "exchanges");
        const received = counts(runs[k]!, "messagesReceived");
        for (let w = 0; w < workers; w++) {
          expect(gradients[w]).toBeGreaterThan(0);
          expect(exchanges[w]).toBeGreaterThan(0);
          // One exchange at a time per worker, two messages in sequence: at most one received for an
          // exchange still in flight at the horizon.
          expect(received[w]! - exchanges[w]!).toBeGreaterThanOrEqual(0);
          expect(received[w]! - exchanges[w]!).toBeLessThanOrEqual(1);
          if (k > 0) {
            // Same seed, longer horizon: the same run, further on (no worker stalls).
            expect(gradients[w]).toBeGreaterThan(counts(runs[k - 1]!, "gradients")[w]!);
            expect(exchanges[w]).toBeGreaterThan(counts(runs[k - 1]!, "exchanges")[w]!);
          }
        }
      }
    },
  );

  it("matching on a time-varying graph (two alternating perfect matchings of a ring of 8) keeps going", () => {
    const even = "{kind: custom, edges: [[0, 1], [2, 3], [4, 5], [6, 7]]}";
    const odd = "{kind: custom, edges: [[1, 2], [3, 4], [5, 6], [7, 0]]}";
    const sets = [
      `cluster.topology={kind: time-varying, period: 3 ms, graphs: [${even}, ${odd}]}`,
      randomSpeeds(8, 5),
    ];
    const raw = cluster(8, "ring", 4);
    const early = runWith(raw, [...sets, "stop.time=0.5 s"]);
    const late = runWith(raw, [...sets, "stop.time=1 s"]);
    for (let w = 0; w < 8; w++) {
      expect(counts(late, "exchanges")[w]).toBeGreaterThan(counts(early, "exchanges")[w]! + 50);
      expect(counts(late, "gradients")[w]).toBeGreaterThan(counts(early, "gradients")[w]! + 50);
    }
  });

  it.each([0.5, 1, 2])("matching keeps exchanges/gradients ≈ rate = %d per worker (§3.4)", (rate) => {
    const workers = 16;
    const result = runWith(cluster(workers, "ring", 5), [
      `schedule.rate=${rate}`,
      randomSpeeds(workers, 11),
      "stop.time=2 s",
    ]);
    const gradients = counts(result, "gradients");
    const exchanges = counts(result, "exchanges");
    for (let w = 0; w < workers; w++) {
      const g = gradients[w]!;
      const e = exchanges[w]!;
      // The barrier pins the rounds: the counts differ from a Poisson(rate) (or Poisson(1/rate)) sum of
      // one round's increments by at most one round, so the relative error is O(1/√count).
      const n = Math.min(g, e);
      expect(n).toBeGreaterThan(300);
      expect(Math.abs(e / g / rate - 1)).toBeLessThan(5 / Math.sqrt(n) + 3 / n);
    }
    const total = (a: number[]) => a.reduce((x, y) => x + y, 0);
    expect(Math.abs(total(exchanges) / total(gradients) / rate - 1)).toBeLessThan(0.03);
  });

  it("poisson pairing: each worker's clock ticks rate/2 per own gradient; no rendezvous evens them out", () => {
    const workers = 8;
    const sets = [
      "schedule.pairing=poisson",
      "cluster.devices=[{worker: 0, speed: 0.25}, {worker: 4, speed: 4}]",
      // A fast network, so that transfer times do not slow the clocks down (one exchange at a time).
      "cluster.network.bandwidth=1 Gb/s",
      "cluster.network.latency=1 us",
      "stop.time=2 s",
    ];
    const result = runWith(cluster(workers, "ring", 2), sets);
    const ratio = (w: number) =>
      (counts(result, "exchanges")[w] ?? 0) / (counts(result, "gradients")[w] ?? 1);
    // Exchanges per own gradient: own ticks r/2, plus each ring neighbour's r/2 per its own gradient,
    // half of them to this worker, scaled by the speed ratio. Worker 2 (speed-1 neighbours): 1/2 + 2·1/4
    // = 1 = rate. Worker 0 (4× slower): 1/2 + 2·(1/4)·4 = 2.5. Worker 4 (4× faster): 1/2 + 2·(1/4)/4 =
    // 0.625. (~2,500 gradients: a few % of Poisson noise.)
    expect(Math.abs(ratio(2) / 1 - 1)).toBeLessThan(0.12);
    expect(Math.abs(ratio(0) / 2.5 - 1)).toBeLessThan(0.12);
    expect(Math.abs(ratio(4) / 0.625 - 1)).toBeLessThan(0.12);
  });

  it.each(["poisson", "matching"])("%s pairing trains: the averaged model's loss falls", (pairing) => {
    const result = runWith(cluster(8, "ring"), [`schedule.pairing=${pairing}`, randomSpeeds(8, 3)]);
    const loss = result.series!.loss!;
    expect(loss.at(-1)!).toBeLessThan(0.7 * loss[0]!);
    expect(Number.isFinite(result.series!.consensus!.at(-1)!)).toBe(true);
  });

  it.each(["poisson", "matching"])(
    "%s pairing: numeric and shape-only runs have the same timeline, event for event",
    (pairing) => {
      // Timing must not depend on the numbers: the real backend replays the schedule with GPU kernels.
      const timeline = (numerics: "real" | "shape", seed: number) => {
        const events: string[] = [];
        const base = cluster(6, "ring", seed) as { cluster: object };
        const raw = {
          ...base,
          cluster: { ...base.cluster, device: { duration: "exponential", peakFlops: "1 MFLOP/s" } },
          numerics,
          problem: { kind: "least-squares", dimension: 50, samplesPerWorker: 4, batchSize: 2, l2: 0.1 },
          stop: { time: "0.3 s" },
        };
        const result = runScenario(
          decodeScenario(withSets(raw, [`schedule.pairing=${pairing}`, randomSpeeds(6, seed)])),
          {
            observe: (t, kind, a, b) => events.push(`${t} ${kind} ${a} ${b}`),
          },
        );
        return { events, workers: result.workers };
      };
      for (const seed of [1, 2, 3]) {
        const real = timeline("real", seed);
        const shape = timeline("shape", seed);
        expect(real.events.length).toBeGreaterThan(100);
        expect(shape.events).toEqual(real.events);
        expect(shape.workers).toEqual(real.workers);
      }
    },
  );
});
