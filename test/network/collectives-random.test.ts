import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CollectiveAlgorithm,
  type CollectiveKind,
  type CollectiveRecord,
  type CollectiveSpec,
  estimateCollective,
  startCollective,
} from "../../sim/cluster/collectives/index.ts";
import { AlphaBetaNetwork } from "../../sim/cluster/network/alpha-beta-network.ts";
import { buildPlatform } from "../../sim/cluster/network/build-platform.ts";
import { FlowNetwork } from "../../sim/cluster/network/flow-network.ts";
import type { Network } from "../../sim/cluster/network/network.ts";
import type { Platform } from "../../sim/cluster/network/platform.ts";
import { Simulation } from "../../sim/engine/simulation.ts";
import { close, graphFromEdges } from "./helpers.ts";

const PAIRS: ReadonlyArray<readonly [CollectiveKind, CollectiveAlgorithm]> = [
  ["all-reduce", "ring"],
  ["all-reduce", "tree"],
  ["all-reduce", "halving-doubling"],
  ["reduce-scatter", "ring"],
  ["reduce-scatter", "halving-doubling"],
  ["all-gather", "ring"],
  ["all-gather", "halving-doubling"],
  ["broadcast", "ring"],
  ["broadcast", "tree"],
];

/** Transfers and total bytes each algorithm must make over n ranks on S bytes. */
function expectedTraffic(spec: CollectiveSpec): { transfers: number; bytes: number } {
  const n = spec.group.length;
  const S = spec.bytes;
  const k = Math.log2(n);
  if (n === 1) return { transfers: 0, bytes: 0 };
  const phases = spec.kind === "all-reduce" ? 2 : 1;
  switch (spec.algorithm) {
    case "ring":
      if (spec.kind === "broadcast") return { transfers: (n - 1) * (spec.chunks ?? n), bytes: (n - 1) * S };
      return { transfers: phases * n * (n - 1), bytes: phases * (n - 1) * S };
    case "tree":
      return spec.kind === "broadcast"
        ? { transfers: n - 1, bytes: (n - 1) * S }
        : { transfers: 2 * (n - 1), bytes: 2 * (n - 1) * S };
    case "halving-doubling":
      return { transfers: phases * n * k, bytes: phases * (n - 1) * S };
    default:
      return { transfers: 0, bytes: 0 };
  }
}

interface Case {
  readonly devices: number;
  readonly layout: "switch" | "graph";
  readonly extraEdges: ReadonlyArray<readonly [number, number]>;
  readonly model: "alpha-beta" | "flow";
  readonly collectives: ReadonlyArray<{ readonly at: number; readonly spec: CollectiveSpec }>;
}

/** Several collectives on random groups (random subsets in random order), overlapping in time. */
const cases: fc.Arbitrary<Case> = fc.integer({ min: 2, max: 24 }).chain((devices) =>
  fc.record({
    devices: fc.constant(devices),
    layout: fc.constantFrom("switch" as const, "graph" as const),
    extraEdges: fc.array(fc.tuple(fc.nat(devices - 1), fc.nat(devices - 1)), { maxLength: devices }),
    model: fc.constantFrom("alpha-beta" as const, "flow" as const),
    collectives: fc.array(
      fc
        .record({
          at: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e-3, noNaN: true })),
          pair: fc.constantFrom(...PAIRS),
          members: fc.shuffledSubarray(
            Array.from({ length: devices }, (_, i) => i),
            { minLength: 1 },
          ),
          bytes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 26 })),
          chunks: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        })
        .map(({ at, pair: [kind, algorithm], members, bytes, chunks }) => {
          // Halving-doubling needs a power of two: keep the largest power-of-two prefix.
          const size =
            algorithm === "halving-doubling" ? 2 ** Math.floor(Math.log2(members.length)) : members.length;
          const base = { kind, algorithm, group: members.slice(0, size), bytes };
          const spec: CollectiveSpec = chunks === undefined ? base : { ...base, chunks };
          return { at, spec };
        }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
);

function platformOf(c: Case): Platform {
  const nic = { bandwidth: 10e9, latency: 1e-6 };
  if (c.layout === "switch") return buildPlatform({ kind: "switch", devices: c.devices, nic });
  // A ring plus random chords: connected, with routes of varying length and shared cables.
  const ring = Array.from({ length: c.devices }, (_, i) => [i, (i + 1) % c.devices] as const);
  return buildPlatform({
    kind: "graph",
    graph: graphFromEdges(c.devices, [...ring, ...c.extraEdges]),
    cable: nic,
  });
}

describe("collectives on random groups", () => {
  it("always complete (no deadlock), with the expected transfers and bytes, never faster than the idle formula", () => {
    fc.assert(
      fc.property(cases, (c) => {
        const platform = platformOf(c);
        const sim = new Simulation();
        const net: Network =
          c.model === "flow" ? new FlowNetwork(sim, platform) : new AlphaBetaNetwork(sim, platform);
        const done = new Map<number, CollectiveRecord>();
        const started = new Map<number, CollectiveSpec>();
        const kind = sim.registerKind("test.start", {
          handle: (_k, index) => {
            const { spec } = c.collectives[index]!;
            const id = startCollective(sim, net, spec, { onCollectiveDone: (r) => done.set(r.id, r) });
            started.set(id, spec);
          },
        });
        c.collectives.forEach(({ at }, index) => {
          sim.at(at, kind, index, 0);
        });
        expect(sim.run({ maxEvents: 5_000_000 })).toBe("drained");
        expect(done.size).toBe(c.collectives.length);
        let totalBytes = 0;
        for (const [id, spec] of started) {
          const r = done.get(id)!;
          const traffic = expectedTraffic(spec);
          expect(r.transfers).toBe(traffic.transfers);
          expect(close(r.bytesMoved, traffic.bytes, 1e-12)).toBe(true);
          totalBytes += r.bytesMoved;
          // On a uniform switch every step route is the same, so contention can only slow things down.
          if (c.layout === "switch") {
            const floor = estimateCollective(platform, spec);
            expect(r.end - r.start).toBeGreaterThanOrEqual(floor * (1 - 1e-9));
          }
        }
        const sent = net.stats.bytesSent.reduce((x, y) => x + y, 0);
        expect(close(sent, totalBytes, 1e-12, 1e-6)).toBe(true);
      }),
      { seed: 424242, numRuns: 200 },
    );
  });

  it("ring all-reduce makes every rank send and receive 2(n−1)·S/n bytes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }).chain((devices) =>
          fc.record({
            devices: fc.constant(devices),
            group: fc.shuffledSubarray(
              Array.from({ length: devices }, (_, i) => i),
              { minLength: 2 },
            ),
            bytes: fc.integer({ min: 1, max: 2 ** 30 }),
            flow: fc.boolean(),
          }),
        ),
        ({ devices, group, bytes, flow }) => {
          const platform = buildPlatform({ kind: "switch", devices, nic: { bandwidth: 1e9, latency: 1e-6 } });
          const sim = new Simulation();
          const net: Network = flow ? new FlowNetwork(sim, platform) : new AlphaBetaNetwork(sim, platform);
          let record: CollectiveRecord | undefined;
          startCollective(
            sim,
            net,
            { kind: "all-reduce", algorithm: "ring", group, bytes },
            { onCollectiveDone: (r) => (record = r) },
          );
          sim.run();
          expect(record).toBeDefined();
          const n = group.length;
          const perRank = (2 * (n - 1) * bytes) / n;
          const inGroup = new Set(group);
          for (let d = 0; d < devices; d++) {
            const expected = inGroup.has(d) ? perRank : 0;
            expect(close(net.stats.bytesSent[d]!, expected, 1e-12)).toBe(true);
            expect(close(net.stats.bytesReceived[d]!, expected, 1e-12)).toBe(true);
          }
        },
      ),
      { seed: 77, numRuns: 100 },
    );
  });
});
