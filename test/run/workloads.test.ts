import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/errors.ts";
import { runScenario } from "../../sim/run.ts";
import { networkModelRegistry } from "../../sim/scenario/registry/network-models.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import { expectClose, gossip, scenario } from "./run-helpers.ts";

/**
 * Whole runs of allreduce and p2p, and the inputs that only turn out wrong while building a run.
 * Small clusters and short horizons, on scenarios built by the decoder from plain objects (the shape
 * of the YAML files); every random check has a stated bound.
 */

describe("allreduce on an idle uniform switch", () => {
  const n = 8;
  const S = 8e6;
  const B = 1.25e10; // 100 Gb/s
  const latency = 5e-6; // one way, device to device
  const duration = 2 * (n - 1) * (latency + S / (n * B));

  describe.each(networkModelRegistry.kinds())("%s", (model) => {
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
