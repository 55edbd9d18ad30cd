import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/errors.ts";
import type { RunResult, WorkerResult } from "../../sim/result.ts";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import { chiSquareSurvival } from "../engine/stats.ts";

/**
 * Whole runs through `runScenario`, on scenarios built by the decoder from plain objects (the shape of
 * the YAML files). Small clusters and short horizons; every random check has a stated bound.
 */

/** |z| < 5: two-sided false-failure probability 5.7e-7 per check. */
const Z = 5;

type Raw = Record<string, unknown>;

function scenario(raw: Raw): Scenario {
  return decodeScenario(raw);
}

/** A gossip-timing scenario: `workers` on a ring, 10 ms computes, alpha-beta switch, `time` seconds. */
function gossip(options: {
  workers: number;
  time: number;
  seed?: number;
  device?: Raw;
  devices?: Raw[];
  cluster?: Raw;
  network?: Raw;
  schedule?: Raw;
}): Scenario {
  return scenario({
    seed: options.seed ?? 1,
    cluster: {
      workers: options.workers,
      device: { duration: "deterministic", ...options.device },
      devices: options.devices ?? [],
      network: { model: "alpha-beta", bandwidth: "10 Gb/s", latency: "5 us", ...options.network },
      ...options.cluster,
    },
    // Keys set to undefined are left out (a schedule giving flops instead of computeTime).
    schedule: Object.fromEntries(
      Object.entries({
        kind: "gossip-timing",
        computeTime: "10 ms",
        rate: 1,
        bytes: "1 kB",
        ...options.schedule,
      }).filter(([, v]) => v !== undefined),
    ),
    stop: { time: options.time },
  });
}

/** Runs and hashes every dispatched event (time bits, kind, payload) into two 32-bit FNV-1a lanes. */
function tracedRun(s: Scenario): { result: RunResult; hash: string; events: number } {
  const f = new Float64Array(4);
  const words = new Uint32Array(f.buffer);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let events = 0;
  const result = runScenario(s, {
    observe: (time, kind, a, b) => {
      f[0] = time;
      f[1] = kind;
      f[2] = a;
      f[3] = b;
      for (let i = 0; i < 8; i++) {
        h1 = Math.imul(h1 ^ words[i]!, 0x01000193);
        h2 = Math.imul(h2 ^ words[7 - i]!, 0x01000193) + 0x9e3779b9;
      }
      events++;
    },
  });
  return { result, hash: `${(h1 >>> 0).toString(16)}:${(h2 >>> 0).toString(16)}`, events };
}

/** The result without what depends on the machine (wall-clock time). */
function comparable(r: RunResult): Omit<RunResult, "wallTime" | "eventsPerSecond"> {
  const { wallTime: _w, eventsPerSecond: _e, ...rest } = r;
  return rest;
}

function count(w: WorkerResult, name: string): number {
  const value = w.counts[name];
  if (value === undefined) throw new Error(`no count ${name} on worker ${w.id}`);
  return value;
}

function expectClose(actual: number, expected: number, relative = 1e-9, label?: string): void {
  expect(Math.abs(actual - expected), label).toBeLessThanOrEqual(
    relative * Math.max(Math.abs(expected), 1e-300),
  );
}

/** The gossip scenario of the determinism tests: flow network, random stragglers, finite and endless failures. */
function busyGossip(seed: number, time = 0.5): Scenario {
  return gossip({
    workers: 12,
    time,
    seed,
    device: { duration: "exponential" },
    network: { model: "flow", bandwidth: "10 Gb/s" },
    schedule: { bytes: "2 MB", rate: 2 },
    cluster: {
      topology: { kind: "erdos-renyi", p: 0.5 },
      stragglers: {
        random: { rate: 4, duration: "30 ms", factor: 3 },
        episodes: [{ worker: 0, factor: 2, start: "0.1 s", end: "0.2 s" }],
      },
      failures: [
        { worker: 3, at: "0.1 s", duration: "0.15 s" },
        { worker: 3, at: "0.3 s", duration: "0.05 s" },
        { worker: 7, at: "0.2 s" },
      ],
    },
  });
}

describe("determinism", () => {
  it("the same scenario gives the same result and the same event trace; another seed does not", () => {
    const a = tracedRun(busyGossip(11));
    const b = tracedRun(busyGossip(11));
    expect(a.events).toBeGreaterThan(1000);
    expect(a.events).toBe(b.events);
    expect(a.hash).toBe(b.hash);
    expect(comparable(a.result)).toEqual(comparable(b.result));
    // The scenario really exercised failures, stragglers and the network.
    const w3 = a.result.workers[3]!;
    expect(count(w3, "lostComputes")).toBeGreaterThan(0);
    expect(a.result.network.transfers).toBeGreaterThan(100);
    expect(a.result.workers.some((w) => count(w, "skippedExchanges") > 0)).toBe(true);

    const c = tracedRun(busyGossip(12));
    expect(c.hash).not.toBe(a.hash);
    expect(comparable(c.result)).not.toEqual(comparable(a.result));
  });

  it("a shorter horizon runs a prefix of the longer run's trace", () => {
    const collect = (s: Scenario) => {
      const trace: number[] = [];
      runScenario(s, { observe: (t, k, a, b) => trace.push(t, k, a, b) });
      return trace;
    };
    const short = collect(busyGossip(5, 0.25));
    const long = collect(busyGossip(5, 0.5));
    expect(short.length).toBeGreaterThan(400);
    expect(long.length).toBeGreaterThan(short.length);
    expect(long.slice(0, short.length)).toEqual(short);
  });
});

/** One scenario of every workload on each network model, for the conservation and accounting checks. */
function workloadMatrix(): Array<[string, Scenario]> {
  const cases: Array<[string, Scenario]> = [];
  for (const model of ["alpha-beta", "flow"] as const) {
    const network = { model, bandwidth: "10 Gb/s", latency: "5 us" };
    cases.push([
      `${model} gossip-timing with failures and stragglers`,
      gossip({
        workers: 8,
        time: 0.3,
        device: { duration: "gamma", cv: 0.5 },
        network,
        schedule: { bytes: "4 MB", rate: 1.5 },
        cluster: {
          stragglers: { random: { rate: 5, duration: "20 ms", factor: 4 } },
          failures: [
            { worker: 2, at: "50 ms", duration: "100 ms" },
            { worker: 5, at: "0.2 s" },
          ],
        },
      }),
    ]);
    cases.push([
      `${model} gossip-timing on a hierarchical network`,
      gossip({
        workers: 8,
        time: 0.2,
        device: { duration: "exponential" },
        network: { ...network, layout: "hierarchical", gpusPerNode: 4 },
        schedule: { bytes: "4 MB" },
        cluster: { topology: { kind: "exponential" } },
      }),
    ]);
    cases.push([
      `${model} p2p, explicit and random`,
      scenario({
        seed: 3,
        cluster: { workers: 10, network, failures: [{ worker: 4, at: "5 ms", duration: "10 ms" }] },
        schedule: {
          kind: "p2p",
          transfers: [
            { src: 0, dst: 1, bytes: "10 MB", at: 0 },
            { src: 2, dst: 1, bytes: "10 MB", at: 0 },
            { src: 4, dst: 9, bytes: "50 MB", at: "1 ms" },
          ],
          random: { count: 150, bytes: "1 MB", rate: 5000 },
        },
        stop: { time: "1 s" },
      }),
    ]);
    for (const algorithm of ["ring", "tree", "halving-doubling", "closed-form"]) {
      cases.push([
        `${model} allreduce ${algorithm}`,
        scenario({
          cluster: { workers: 8, network },
          schedule: { kind: "allreduce", count: 2, bytes: "8 MB", algorithm, gap: "1 ms" },
        }),
      ]);
    }
    cases.push([
      `${model} broadcast on a graph layout`,
      scenario({
        cluster: { workers: 6, network: { ...network, layout: "graph", topology: { kind: "ring" } } },
        schedule: {
          kind: "allreduce",
          collective: "broadcast",
          count: 2,
          bytes: "6 MB",
          group: [2, 0, 1, 3, 4, 5],
        },
      }),
    ]);
  }
  return cases;
}

describe.each(workloadMatrix())("%s", (_name, s) => {
  const result = runScenario(s);

  it("conserves bytes: Σ bytesSent = Σ bytesReceived", () => {
    const sent = result.workers.reduce((sum, w) => sum + w.bytesSent, 0);
    const received = result.workers.reduce((sum, w) => sum + w.bytesReceived, 0);
    expect(sent).toBe(received);
    if (s.schedule.kind === "allreduce" && s.schedule.algorithm === "closed-form") {
      // The closed form sends no message at all.
      expect(sent).toBe(0);
      expect(result.network.transfers).toBe(0);
    } else {
      expect(sent).toBeGreaterThan(0);
      expect(result.network.transfers).toBeGreaterThan(0);
    }
    // On a switch every message crosses exactly two NIC links (up and down).
    if (s.cluster.network.layout === "switch") expect(result.network.linkBytesTotal).toBe(2 * sent);
  });

  it("accounts for every second: compute + idle + exposed communication = simTime for each worker", () => {
    expect(result.simTime).toBeGreaterThan(0);
    for (const w of result.workers) {
      expectClose(w.computeTime + w.idleTime + w.exposedCommTime, result.simTime, 1e-9, `worker ${w.id}`);
      expect(w.exposedCommTime).toBeLessThanOrEqual(w.commTime * (1 + 1e-12));
      expect(w.commTime - w.exposedCommTime).toBeLessThanOrEqual(w.computeTime * (1 + 1e-12) + 1e-15);
      for (const v of [w.computeTime, w.idleTime, w.commTime, w.exposedCommTime])
        expect(v).toBeGreaterThanOrEqual(0);
    }
  });
});

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

describe("allreduce on an idle uniform switch", () => {
  const n = 8;
  const S = 8e6;
  const B = 1.25e10; // 100 Gb/s
  const latency = 5e-6; // one way, device to device
  const duration = 2 * (n - 1) * (latency + S / (n * B));

  describe.each(["alpha-beta", "flow"])("%s", (model) => {
    it.each(["ring", "closed-form"])(
      "%s: every collective takes 2(n−1)(ℓ + S/(nB)); gaps are idle",
      (algorithm) => {
        const count = 4;
        const gap = 1e-3;
        const result = runScenario(
          scenario({
            cluster: { workers: n, network: { model, bandwidth: "100 Gb/s", latency: "5 us" } },
            schedule: { kind: "allreduce", count, bytes: "8 MB", algorithm, gap: "1 ms" },
          }),
        );
        expect(result.stopReason).toBe("drained");
        expect(result.collectives).toHaveLength(count);
        for (const c of result.collectives) {
          expectClose(c.end - c.start, duration, 1e-9);
          expect(c).toMatchObject({ kind: "all-reduce", algorithm, bytes: S, groupSize: n });
        }
        expectClose(result.simTime, count * duration + (count - 1) * gap);
        for (const w of result.workers) {
          expectClose(w.commTime, count * duration);
          expectClose(w.exposedCommTime, count * duration);
          expectClose(w.idleTime, (count - 1) * gap);
          expect(w.computeTime).toBe(0);
          expect(count).toBe(w.counts.collectives);
        }
      },
    );
  });

  it("a sub-group: only its members are charged; the formula uses the group size", () => {
    const group = [1, 3, 5, 7];
    const result = runScenario(
      scenario({
        cluster: { workers: n, network: { bandwidth: "100 Gb/s", latency: "5 us" } },
        schedule: { kind: "allreduce", bytes: "8 MB", group },
      }),
    );
    const m = group.length;
    expectClose(result.simTime, 2 * (m - 1) * (latency + S / (m * B)));
    for (const w of result.workers) {
      if (group.includes(w.id)) expectClose(w.commTime, result.simTime);
      else {
        expect(w.commTime).toBe(0);
        expect(w.bytesSent).toBe(0);
        expectClose(w.idleTime, result.simTime);
      }
    }
  });
});

describe("p2p", () => {
  const B = 3.125e9; // 25 Gb/s
  const l = 10e-6;

  it("alpha-beta: a transfer ends at at + latency + bytes/bandwidth, contention or not", () => {
    const transfers = [
      { src: 0, dst: 1, bytes: 1e8, at: 0 },
      { src: 2, dst: 3, bytes: 5e7, at: 0.01 },
      { src: 4, dst: 5, bytes: 1e9, at: 0.02 },
      // Same source and time as another: alpha-beta does not model the shared NIC.
      { src: 4, dst: 6, bytes: 1e9, at: 0.02 },
    ];
    const result = runScenario(
      scenario({
        cluster: { workers: 8, network: { model: "alpha-beta", bandwidth: "25 Gb/s", latency: "10 us" } },
        schedule: { kind: "p2p", transfers },
      }),
    );
    expect(result.stopReason).toBe("drained");
    const end = (t: (typeof transfers)[number]) => t.at + l + t.bytes / B;
    expectClose(result.simTime, Math.max(...transfers.map(end)));
    for (const t of transfers) {
      // Each endpoint is busy exactly over [at, end): that is its whole communication time.
      expectClose(result.workers[t.dst]!.commTime, l + t.bytes / B);
      expectClose(result.workers[t.dst]!.idleTime, result.simTime - (l + t.bytes / B));
      expect(result.workers[t.dst]!.bytesReceived).toBe(t.bytes);
    }
    expectClose(result.workers[0]!.commTime, l + 1e8 / B);
    expectClose(result.workers[4]!.commTime, l + 1e9 / B);
    expect(result.workers[7]!.commTime).toBe(0);
  });

  it.each([0, 10e-6])(
    "flow: two transfers from one source at once share its NIC (latency %s s)",
    (latency) => {
      const S = 1e8;
      const result = runScenario(
        scenario({
          cluster: { workers: 6, network: { model: "flow", bandwidth: "25 Gb/s", latency } },
          schedule: {
            kind: "p2p",
            transfers: [
              { src: 0, dst: 1, bytes: S, at: 0 },
              { src: 0, dst: 2, bytes: S, at: 0 },
              { src: 3, dst: 4, bytes: S, at: 0 },
            ],
          },
        }),
      );
      const alone = latency + S / B;
      const shared = latency + (2 * S) / B;
      expectClose(result.workers[4]!.commTime, alone);
      expectClose(result.workers[1]!.commTime, shared);
      expectClose(result.workers[2]!.commTime, shared);
      expectClose(result.workers[0]!.commTime, shared);
      expectClose(result.simTime, shared);
      if (latency === 0) expectClose(result.workers[1]!.commTime, 2 * result.workers[4]!.commTime);
    },
  );
});

describe("inputs that only turn out wrong while building", () => {
  const expectInputError = (s: Scenario, path: string) => {
    let error: unknown;
    try {
      runScenario(s);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).path).toBe(path);
  };

  it("a disconnected custom gossip graph", () => {
    expectInputError(
      gossip({
        workers: 4,
        time: 1,
        cluster: {
          topology: {
            kind: "custom",
            edges: [
              [0, 1],
              [2, 3],
            ],
          },
        },
      }),
      "cluster.topology",
    );
  });

  it("an Erdős–Rényi gossip graph with a tiny p", () => {
    expectInputError(
      gossip({ workers: 16, time: 1, cluster: { topology: { kind: "erdos-renyi", p: 1e-6 } } }),
      "cluster.topology",
    );
  });

  it("a time-varying gossip graph whose union is disconnected", () => {
    expectInputError(
      gossip({
        workers: 4,
        time: 1,
        cluster: {
          topology: {
            kind: "time-varying",
            period: "10 ms",
            graphs: [
              { kind: "custom", edges: [[0, 1]] },
              { kind: "custom", edges: [[2, 3]] },
            ],
          },
        },
      }),
      "cluster.topology",
    );
  });

  it("a hierarchical network whose gpusPerNode does not divide the workers", () => {
    expectInputError(
      gossip({ workers: 8, time: 1, network: { layout: "hierarchical", gpusPerNode: 3 } }),
      "cluster.network.gpusPerNode",
    );
  });

  it.each([
    ["gossip-timing", { kind: "gossip-timing", computeTime: "10 ms", bytes: "1 kB" }],
    ["p2p", { kind: "p2p", transfers: [{ src: 0, dst: 3, bytes: "1 kB", at: "1 ms" }] }],
  ])("a graph network whose cable graph is disconnected (%s)", (_name, schedule) => {
    // Caught when building, not when a transfer first needs the missing route mid-run.
    expectInputError(
      scenario({
        cluster: {
          workers: 4,
          network: {
            layout: "graph",
            topology: {
              kind: "custom",
              edges: [
                [0, 1],
                [2, 3],
              ],
            },
          },
        },
        schedule,
        stop: { time: "1 s" },
      }),
      "cluster.network.topology",
    );
  });
});
