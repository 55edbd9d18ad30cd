import { describe, expect, it } from "vitest";
import type { RunResult } from "../../sim/result.ts";
import { runScenario } from "../../sim/run.ts";
import { chiSquareSurvival } from "../engine/stats.ts";
import { count, expectClose, gossip, Z } from "./run-helpers.ts";

/**
 * Whole runs of gossip-timing, with and without failures.
 * Small clusters and short horizons, on scenarios built by the decoder from plain objects (the shape
 * of the YAML files); every random check has a stated bound.
 */

describe("gossip-timing", () => {
  it("deterministic 10 ms computes: each worker does ⌊T / 10 ms⌋ gradients (±1 for rounding)", () => {
    const T = 1;
    const result = runScenario(gossip({ workers: 32, time: T }));
    for (const w of result.workers) {
      expect(Math.abs(count(w, "gradients") - Math.floor(T / 0.01))).toBeLessThanOrEqual(1);
      // Back to back: the device never stops computing.
      expectClose(w.computeTime, T);
      expect(w.idleTime).toBeLessThan(1e-9);
    }
  });

  it("exponential computes: gradient counts over T are Poisson(T / mean) across 32 workers", () => {
    // Back-to-back Exp(mean) computes make each worker's count a Poisson process sampled at T:
    // mean λ = T / mean, variance λ. The mean of n = 32 counts has variance λ/n (z-test); the sample
    // variance is checked by (n−1)s²/λ ~ χ²(n−1) (Poisson(200) is close to normal: excess kurtosis
    // 1/λ), two-sided at 1e-7.
    const T = 2;
    const lambda = T / 0.01;
    const n = 32;
    const result = runScenario(
      gossip({ workers: n, time: T, seed: 99, device: { duration: "exponential" } }),
    );
    const counts = result.workers.map((w) => count(w, "gradients"));
    const mean = counts.reduce((a, b) => a + b, 0) / n;
    const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / (n - 1);
    expect(Math.abs((mean - lambda) / Math.sqrt(lambda / n))).toBeLessThan(Z);
    const statistic = ((n - 1) * variance) / lambda;
    const upperTail = chiSquareSurvival(statistic, n - 1);
    expect(upperTail).toBeGreaterThan(0.5e-7);
    expect(upperTail).toBeLessThan(1 - 0.5e-7);
  });

  it("ring gossip: each worker receives 2·rate·T/mean exchanges in expectation", () => {
    // A worker's clock ticks at rate/mean; each tick sends to a neighbour and gets a reply, and each
    // of its two neighbours picks it with probability 1/2 per tick: 2λ deliveries in expectation,
    // λ = rate·T/mean. Every tick makes exactly 2 deliveries, so the mean over n workers is
    // 2·Poisson(nλ)/n, variance 4λ/n. Messages of 1 kB take ~6 µs: in-flight losses at T are ~0.001.
    const T = 2;
    const rate = 1.5;
    const n = 32;
    const lambda = (rate * T) / 0.01;
    const result = runScenario(gossip({ workers: n, time: T, seed: 2718, schedule: { rate } }));
    const received = result.workers.map((w) => count(w, "exchanges"));
    const mean = received.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs((mean - 2 * lambda) / Math.sqrt((4 * lambda) / n))).toBeLessThan(Z);
    // Each worker's own count is Poisson(2λ) (its ticks plus its neighbours' picks, independent).
    for (const r of received) expect(Math.abs((r - 2 * lambda) / Math.sqrt(2 * lambda))).toBeLessThan(Z + 1);
    // Bytes follow counts: every delivered exchange is 1 kB.
    for (const w of result.workers) expect(w.bytesReceived).toBe(1000 * count(w, "exchanges"));
  });

  it("heterogeneity: a speed-0.25 device does a quarter of the gradients; flops-based costs use peak·efficiency", () => {
    const T = 1;
    const result = runScenario(gossip({ workers: 8, time: T, devices: [{ worker: 3, speed: 0.25 }] }));
    for (const w of result.workers) {
      const expected = Math.floor(T / (w.id === 3 ? 0.04 : 0.01));
      expect(Math.abs(count(w, "gradients") - expected), `worker ${w.id}`).toBeLessThanOrEqual(1);
    }
    // 5e11 FLOPs at 100 TFLOP/s · 0.5 is 10 ms; worker 2 has half the peak (20 ms), worker 5 a
    // quarter of the efficiency and twice the speed (20 ms).
    const flops = runScenario(
      gossip({
        workers: 8,
        time: T,
        schedule: { computeTime: undefined, flops: "500 GFLOP" },
        devices: [
          { worker: 2, peakFlops: "50 TFLOP/s" },
          { worker: 5, efficiency: 0.125, speed: 2 },
        ],
      }),
    );
    for (const w of flops.workers) {
      const expected = Math.floor(T / (w.id === 2 || w.id === 5 ? 0.02 : 0.01));
      expect(Math.abs(count(w, "gradients") - expected), `worker ${w.id}`).toBeLessThanOrEqual(1);
    }
  });

  it("a fixed straggler episode (×4 over [T/4, T/2)) costs 0.75·(T/4)/mean gradients", () => {
    // By hand with T = 1, 10 ms computes: 25 by 0.25; 6 at 40 ms each by 0.49; the one started at 0.49
    // does 0.0025 of work by 0.5 and ends at 0.5075; then 49 more by 0.9975. 25 + 6 + 1 + 49 = 81 =
    // ⌊T/mean − 0.75·(T/4)/mean⌋ = ⌊81.25⌋.
    const T = 1;
    const result = runScenario(
      gossip({
        workers: 4,
        time: T,
        cluster: { stragglers: { episodes: [{ worker: 1, factor: 4, start: T / 4, end: T / 2 }] } },
      }),
    );
    expect(Math.abs(count(result.workers[1]!, "gradients") - 81)).toBeLessThanOrEqual(1);
    expect(
      Math.abs(count(result.workers[1]!, "gradients") - Math.floor(T / 0.01 - (0.75 * (T / 4)) / 0.01)),
    ).toBeLessThanOrEqual(1);
    for (const w of [0, 2, 3])
      expect(Math.abs(count(result.workers[w]!, "gradients") - 100)).toBeLessThanOrEqual(1);
    // A straggler is slow, not idle.
    expectClose(result.workers[1]!.computeTime, T);
  });
});

describe("failures in gossip-timing", () => {
  const a = 0.3051;
  const d = 0.2;
  const T = 1;
  const failing = (time: number, seed = 4) =>
    gossip({
      workers: 8,
      time,
      seed,
      network: { model: "flow" },
      schedule: { bytes: "1 MB", rate: 2 },
      cluster: {
        failures: [
          { worker: 2, at: a, duration: d },
          { worker: 6, at: 0.5 },
        ],
      },
    });

  it("a worker down over [a, a + d) loses d/mean gradients (and the one in progress) and comes back", () => {
    const result = runScenario(failing(T));
    const w2 = result.workers[2]!;
    // By hand: 30 gradients by 0.30, the one started at 0.30 is lost at a, then ⌊(T − a − d)/mean⌋ = 49.
    expect(Math.abs(count(w2, "gradients") - 79)).toBeLessThanOrEqual(1);
    expect(count(w2, "lostComputes")).toBe(1);
    const healthy = count(result.workers[0]!, "gradients");
    expect(Math.abs(healthy - 100)).toBeLessThanOrEqual(1);
    expect(Math.abs(healthy - count(w2, "gradients") - d / 0.01)).toBeLessThanOrEqual(2);
    // Down time is neither compute nor communication.
    expectClose(w2.computeTime, T - d);
    expectClose(w2.idleTime, d, 1e-9);
  });

  it("nobody exchanges with a down worker, and it exchanges again once back", () => {
    const atFailure = runScenario(failing(a));
    const atReturn = runScenario(failing(a + d));
    const atEnd = runScenario(failing(T));
    const before = atFailure.workers[2]!;
    const back = atReturn.workers[2]!;
    // Nothing delivered to or from worker 2 during its outage.
    expect(back.bytesReceived).toBe(before.bytesReceived);
    expect(back.bytesSent).toBe(before.bytesSent);
    expect(count(back, "exchanges")).toBe(count(before, "exchanges"));
    expect(count(back, "gradients")).toBe(count(before, "gradients"));
    // Its neighbours (1 and 3 on the ring) picked it meanwhile and skipped: ~10 each expected
    // (2 ticks per 10 ms, half of them to worker 2, over 0.2 s); Poisson(20) total is 0 w.p. 2e-9.
    const skipped = (r: RunResult) =>
      count(r.workers[1]!, "skippedExchanges") + count(r.workers[3]!, "skippedExchanges");
    expect(skipped(atReturn)).toBeGreaterThan(skipped(atFailure));
    // Back afterwards: it computes and exchanges again.
    const end = atEnd.workers[2]!;
    expect(count(end, "gradients")).toBeGreaterThan(count(back, "gradients") + 40);
    expect(end.bytesReceived).toBeGreaterThan(back.bytesReceived);
    expect(end.bytesSent).toBeGreaterThan(back.bytesSent);
  });

  it("a worker that fails forever stops at `at`", () => {
    const at = 0.5;
    const atFailure = runScenario(failing(at));
    const atEnd = runScenario(failing(T));
    const w6 = atEnd.workers[6]!;
    expect(Math.abs(count(w6, "gradients") - at / 0.01)).toBeLessThanOrEqual(1);
    expectClose(w6.computeTime, at);
    expectClose(w6.idleTime, T - at);
    expect(w6.commTime).toBeLessThanOrEqual(at);
    for (const key of ["bytesSent", "bytesReceived"] as const)
      expect(w6[key]).toBe(atFailure.workers[6]![key]);
    expect(count(w6, "gradients")).toBe(count(atFailure.workers[6]!, "gradients"));
  });

  it("touching outages behave as one", () => {
    const one = runScenario(
      gossip({ workers: 4, time: T, cluster: { failures: [{ worker: 1, at: a, duration: 0.3 }] } }),
    );
    const two = runScenario(
      gossip({
        workers: 4,
        time: T,
        cluster: {
          failures: [
            { worker: 1, at: a, duration: 0.1 },
            { worker: 1, at: a + 0.1, duration: 0.2 },
          ],
        },
      }),
    );
    expect(two.workers[1]!.counts).toEqual(one.workers[1]!.counts);
    expectClose(two.workers[1]!.computeTime, one.workers[1]!.computeTime);
  });
});
