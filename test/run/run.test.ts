import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run.ts";
import { networkModelRegistry } from "../../sim/scenario/registry/network-models.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import type { AllreduceSpec } from "../../sim/traffic/collective-traffic.ts";
import { busyGossip, comparable, count, expectClose, gossip, scenario, tracedRun } from "./run-helpers.ts";

/**
 * Whole runs through `runScenario`: determinism, and every workload on every network model and layout.
 * Small clusters and short horizons, on scenarios built by the decoder from plain objects (the shape
 * of the YAML files); every random check has a stated bound.
 */

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
  for (const model of networkModelRegistry.kinds()) {
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
    if (
      s.schedule.kind === "allreduce" &&
      (s.schedule as { spec: AllreduceSpec }).spec.algorithm === "closed-form"
    ) {
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
