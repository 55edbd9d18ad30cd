import { expect } from "vitest";
import type { RunResult, WorkerResult } from "../../sim/result.ts";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";
import type { Scenario } from "../../sim/scenario/types.ts";

/** Scenario builders and checks shared by the whole-run tests of this folder. */

/** |z| < 5: two-sided false-failure probability 5.7e-7 per check. */
export const Z = 5;

export type Raw = Record<string, unknown>;

export function scenario(raw: Raw): Scenario {
  return decodeScenario(raw);
}

/** A gossip-timing scenario: `workers` on a ring, 10 ms computes, alpha-beta switch, `time` seconds. */
export function gossip(options: {
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
export function tracedRun(s: Scenario): { result: RunResult; hash: string; events: number } {
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
export function comparable(r: RunResult): Omit<RunResult, "wallTime" | "eventsPerSecond"> {
  const { wallTime: _w, eventsPerSecond: _e, ...rest } = r;
  return rest;
}

export function count(w: WorkerResult, name: string): number {
  const value = w.counts[name];
  if (value === undefined) throw new Error(`no count ${name} on worker ${w.id}`);
  return value;
}

export function expectClose(actual: number, expected: number, relative = 1e-9, label?: string): void {
  expect(Math.abs(actual - expected), label).toBeLessThanOrEqual(
    relative * Math.max(Math.abs(expected), 1e-300),
  );
}

/** The gossip scenario of the determinism tests: flow network, random stragglers, finite and endless failures. */
export function busyGossip(seed: number, time = 0.5): Scenario {
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
