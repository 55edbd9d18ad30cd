import { describe, expect, it } from "vitest";
import {
  binaryTreeAllReduceTime,
  type CollectiveAlgorithm,
  type CollectiveKind,
  type CollectiveRecord,
  type CollectiveSpec,
  collectiveTime,
  estimateCollective,
  startCollective,
} from "../../sim/cluster/collectives/index.ts";
import { AlphaBetaNetwork } from "../../sim/cluster/network/alpha-beta-network.ts";
import { buildPlatform } from "../../sim/cluster/network/build-platform.ts";
import { FlowNetwork } from "../../sim/cluster/network/flow-network.ts";
import type { Network } from "../../sim/cluster/network/network.ts";
import type { Platform } from "../../sim/cluster/network/platform.ts";
import { Simulation } from "../../sim/engine/simulation.ts";
import { InputError } from "../../sim/errors.ts";
import { expectClose, ringGraph } from "./helpers.ts";

const B = 25e9;
const L = 1.5e-6;
const S = 256 * 2 ** 20;
const EXACT = 1e-12;
const models = ["alpha-beta", "flow"] as const;

/** Runs one collective alone on an idle network and returns its record. */
function runOne(model: (typeof models)[number], platform: Platform, spec: CollectiveSpec): CollectiveRecord {
  const sim = new Simulation();
  const net: Network =
    model === "flow" ? new FlowNetwork(sim, platform) : new AlphaBetaNetwork(sim, platform);
  const records: CollectiveRecord[] = [];
  startCollective(sim, net, spec, { onCollectiveDone: (r) => records.push(r) });
  expect(records).toEqual([]); // never synchronously
  expect(sim.run()).toBe("drained");
  expect(records.length).toBe(1);
  return records[0]!;
}

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);
/** A switch whose NIC links have latency L/2 each, so one step route has latency L. */
const star = (n: number) =>
  buildPlatform({ kind: "switch", devices: n, nic: { bandwidth: B, latency: L / 2 } });
const ring = (n: number) =>
  buildPlatform({ kind: "graph", graph: ringGraph(n), cable: { bandwidth: B, latency: L } });
const step = { latency: L, bandwidth: B };

describe.each(models)("%s model: collectives on an idle uniform network match their formulas", (model) => {
  it.each([2, 3, 4, 5, 8, 13])(
    "ring all-reduce, n = %i, on a ring and on a switch: 2(n−1)(ℓ + S/(nB))",
    (n) => {
      const expected = 2 * (n - 1) * (L + S / (n * B));
      for (const platform of [ring(n), star(n)]) {
        const spec: CollectiveSpec = { kind: "all-reduce", algorithm: "ring", group: iota(n), bytes: S };
        const r = runOne(model, platform, spec);
        expectClose(r.end - r.start, expected, EXACT);
        expect(r.transfers).toBe(2 * n * (n - 1));
        expectClose(r.bytesMoved, 2 * (n - 1) * S, EXACT);
        expectClose(estimateCollective(platform, spec), expected, EXACT);
      }
    },
  );

  it.each(["reduce-scatter", "all-gather"] as const)("ring %s: (n−1)(ℓ + S/(nB))", (kind) => {
    for (const n of [2, 3, 6, 9]) {
      const r = runOne(model, ring(n), { kind, algorithm: "ring", group: iota(n), bytes: S });
      expectClose(r.end - r.start, (n - 1) * (L + S / (n * B)), EXACT);
    }
  });

  it("halving-doubling on a switch: 2 log₂n ℓ + 2(n−1)/n · S/B, and half for each phase", () => {
    for (const n of [2, 4, 8, 16, 32]) {
      const k = Math.log2(n);
      const all = runOne(model, star(n), {
        kind: "all-reduce",
        algorithm: "halving-doubling",
        group: iota(n),
        bytes: S,
      });
      expectClose(all.end - all.start, 2 * k * L + (2 * (n - 1) * S) / (n * B), EXACT);
      expectClose(all.bytesMoved, 2 * (n - 1) * S, EXACT);
      for (const kind of ["reduce-scatter", "all-gather"] as const) {
        const half = runOne(model, star(n), {
          kind,
          algorithm: "halving-doubling",
          group: iota(n),
          bytes: S,
        });
        expectClose(half.end - half.start, k * L + ((n - 1) * S) / (n * B), EXACT);
      }
    }
  });

  it("binary-tree all-reduce on a switch: 4h(ℓ + S/B) for complete trees, the one-port recursion otherwise", () => {
    const T = L + S / B;
    for (const h of [1, 2, 3, 4]) {
      const n = 2 ** (h + 1) - 1;
      const r = runOne(model, star(n), { kind: "all-reduce", algorithm: "tree", group: iota(n), bytes: S });
      expectClose(r.end - r.start, 4 * h * T, EXACT);
      expectClose(binaryTreeAllReduceTime(n, T), 4 * h * T, EXACT);
    }
    for (const n of [2, 4, 5, 6, 10, 12, 20]) {
      const r = runOne(model, star(n), { kind: "all-reduce", algorithm: "tree", group: iota(n), bytes: S });
      expectClose(r.end - r.start, binaryTreeAllReduceTime(n, T), EXACT);
      expect(r.transfers).toBe(2 * (n - 1));
    }
    // Hand-checked: n = 2 is one message up, one down. n = 4: 3→1 [0,1], 1→0 [1,2], then the right
    // child 2→0 [2,3]; down 0→1 [3,4], 0→2 and 1→3 [4,5].
    expect(binaryTreeAllReduceTime(2, 1)).toBe(2);
    expect(binaryTreeAllReduceTime(4, 1)).toBe(5);
  });

  it("binomial broadcast on a switch: ⌈log₂n⌉(ℓ + S/B)", () => {
    for (const n of [2, 3, 4, 5, 7, 8, 9, 16, 17]) {
      const r = runOne(model, star(n), { kind: "broadcast", algorithm: "tree", group: iota(n), bytes: S });
      expectClose(r.end - r.start, Math.ceil(Math.log2(n)) * (L + S / B), EXACT);
      expect(r.transfers).toBe(n - 1);
    }
  });

  it("pipelined chain broadcast on a switch: (n − 2 + k)(ℓ + S/(kB))", () => {
    for (const [n, k] of [
      [2, 1],
      [5, 5],
      [6, 16],
    ] as const) {
      const r = runOne(model, star(n), {
        kind: "broadcast",
        algorithm: "ring",
        group: iota(n),
        bytes: S,
        chunks: k,
      });
      expectClose(r.end - r.start, (n - 2 + k) * (L + S / (k * B)), EXACT);
      expectClose(r.bytesMoved, (n - 1) * S, EXACT);
    }
  });
});

describe("collective API", () => {
  it("runs the closed-form algorithm as one deferred completion, without touching the network", () => {
    const platform = star(8);
    const sim = new Simulation();
    const net = new FlowNetwork(sim, platform);
    const spec: CollectiveSpec = {
      kind: "all-reduce",
      algorithm: "closed-form",
      group: [7, 2, 5, 0],
      bytes: S,
    };
    const records: CollectiveRecord[] = [];
    startCollective(sim, net, spec, { onCollectiveDone: (r) => records.push(r) });
    sim.run();
    expect(records[0]).toMatchObject({
      kind: "all-reduce",
      algorithm: "closed-form",
      groupSize: 4,
      transfers: 0,
    });
    expectClose(records[0]!.end, 2 * 3 * (L + S / (4 * B)), EXACT);
    expect(net.stats.completed).toBe(0);
  });

  it("uses the group's order and the worst step route for closed forms on mixed platforms", () => {
    const fast = { bandwidth: 4 * B, latency: L / 10 };
    const p = buildPlatform({
      kind: "hierarchical",
      nodes: 2,
      gpusPerNode: 2,
      intraNode: fast,
      interNode: step,
    });
    // Group order 0,1,2,3: two intra-node steps and two inter-node steps (two NIC links of latency L).
    const spec: CollectiveSpec = { kind: "all-reduce", algorithm: "ring", group: [0, 1, 2, 3], bytes: S };
    expectClose(
      estimateCollective(p, spec),
      collectiveTime("all-reduce", "ring", 4, S, { latency: 2 * L, bandwidth: B }),
      EXACT,
    );
    // A ring that stays inside the node is bounded by the fast links only.
    const inside: CollectiveSpec = { kind: "all-gather", algorithm: "ring", group: [1, 0], bytes: S };
    expectClose(estimateCollective(p, inside), L / 10 + S / (2 * 4 * B), EXACT);
  });

  it("completes a group of one at once, after startCollective returns", () => {
    for (const algorithm of ["ring", "tree", "halving-doubling", "closed-form"] as const) {
      const r = runOne("flow", star(3), { kind: "all-reduce", algorithm, group: [2], bytes: S });
      expect(r).toMatchObject({ start: 0, end: 0, transfers: 0, groupSize: 1 });
    }
  });

  it("gives each collective of a simulation its own id", () => {
    const sim = new Simulation();
    const net = new AlphaBetaNetwork(sim, star(4));
    const ids = [0, 1, 2].map(() =>
      startCollective(
        sim,
        net,
        { kind: "all-gather", algorithm: "ring", group: [0, 1], bytes: 1 },
        { onCollectiveDone: () => {} },
      ),
    );
    expect(new Set(ids).size).toBe(3);
  });

  it("rejects impossible requests with an InputError naming the field", () => {
    const sim = new Simulation();
    const net = new AlphaBetaNetwork(sim, star(8));
    const listener = { onCollectiveDone: () => {} };
    const start =
      (kind: CollectiveKind, algorithm: CollectiveAlgorithm, group: number[], bytes = S) =>
      () =>
        startCollective(sim, net, { kind, algorithm, group, bytes }, listener);
    expect(start("all-reduce", "halving-doubling", iota(6))).toThrow(/power-of-two/);
    expect(start("all-reduce", "ring", [0, 1, 1])).toThrow(/collective\.group\[2\]/);
    expect(start("all-reduce", "ring", [0, 8])).toThrow(InputError);
    expect(start("all-reduce", "ring", [])).toThrow(InputError);
    expect(start("reduce-scatter", "tree", [0, 1])).toThrow(/collective\.algorithm/);
    expect(start("broadcast", "halving-doubling", [0, 1])).toThrow(InputError);
    expect(start("all-reduce", "ring", [0, 1], -1)).toThrow(/collective\.bytes/);
    expect(() => collectiveTime("all-gather", "tree", 4, S, step)).toThrow(InputError);
  });
});
