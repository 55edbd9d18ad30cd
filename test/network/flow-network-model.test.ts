import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPlatform } from "../../sim/cluster/network/build-platform.ts";
import { FlowNetwork } from "../../sim/cluster/network/flow-network.ts";
import { solveMaxMin } from "../../sim/cluster/network/maxmin.ts";
import type { Platform } from "../../sim/cluster/network/platform.ts";
import { routeLatency } from "../../sim/cluster/network/route-metrics.ts";
import { Simulation } from "../../sim/engine/simulation.ts";
import { Collect, close, TablePlatform } from "./helpers.ts";

interface Op {
  readonly at: number;
  readonly src: number;
  readonly dst: number;
  readonly bytes: number;
  readonly cap: number;
  /** Cancel this long after starting (Infinity: never). */
  readonly cancelAfter: number;
}

interface Scenario {
  readonly platform: TablePlatform;
  readonly ops: readonly Op[];
}

/** Random links and per-pair routes (1..4 distinct links), and transfers at random (often equal) times. */
function scenarios(withCancels: boolean): fc.Arbitrary<Scenario> {
  return fc
    .record({ devices: fc.integer({ min: 2, max: 6 }), links: fc.integer({ min: 1, max: 6 }) })
    .chain(({ devices, links }) =>
      fc.record({
        platform: fc
          .record({
            capacity: fc.array(
              fc.oneof(fc.integer({ min: 1, max: 4 }), fc.double({ min: 0.5, max: 10, noNaN: true })),
              {
                minLength: links,
                maxLength: links,
              },
            ),
            latency: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.5, noNaN: true })), {
              minLength: links,
              maxLength: links,
            }),
            routes: fc.array(
              fc.uniqueArray(fc.integer({ min: 0, max: links - 1 }), {
                minLength: 1,
                maxLength: Math.min(4, links),
              }),
              { minLength: devices * devices, maxLength: devices * devices },
            ),
          })
          .map((p) => new TablePlatform(devices, p.capacity, p.latency, p.routes)),
        ops: fc.array(
          fc
            .record({
              at: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.double({ min: 0, max: 5, noNaN: true })),
              src: fc.nat(devices - 1),
              hop: fc.integer({ min: 1, max: devices - 1 }),
              bytes: fc.oneof(
                fc.constant(0),
                fc.integer({ min: 1, max: 8 }),
                fc.double({ min: 0.01, max: 10, noNaN: true }),
              ),
              cap: fc.oneof(
                fc.constant(Number.POSITIVE_INFINITY),
                fc.double({ min: 0.2, max: 5, noNaN: true }),
              ),
              cancelAfter: withCancels
                ? fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.double({ min: 0, max: 3, noNaN: true }))
                : fc.constant(Number.POSITIVE_INFINITY),
            })
            .map((o) => ({ ...o, dst: (o.src + o.hop) % devices })),
          { minLength: 1, maxLength: 25 },
        ),
      }),
    );
}

/** Schedules the scenario's starts and cancellations on `sim` through `net`. */
function drive(sim: Simulation, net: FlowNetwork, ops: readonly Op[], got: Collect): number[] {
  const ids = ops.map(() => -1);
  const kind = sim.registerKind("test.op", {
    handle: (_k, index, cancel) => {
      const op = ops[index]!;
      if (cancel === 1) net.cancel(ids[index]!);
      else {
        ids[index] = net.transfer(op.src, op.dst, op.bytes, got, index, op.cap);
        if (op.cancelAfter < Number.POSITIVE_INFINITY) sim.after(op.cancelAfter, kind, index, 1);
      }
    },
  });
  ops.forEach((op, index) => {
    sim.at(op.at, kind, index, 0);
  });
  return ids;
}

/**
 * Reference fluid simulation, from scratch: at every instant the rates are the max-min solution over
 * all active flows; time advances to the next activation or completion. Returns each op's end time.
 */
function referenceEnds(platform: Platform, ops: readonly Op[]): number[] {
  const ends = ops.map(() => Number.NaN);
  const pending = ops
    .map((op, i) => ({ i, t: op.at + routeLatency(platform, platform.route(op.src, op.dst)) }))
    .sort((a, b) => a.t - b.t);
  let active: { i: number; left: number }[] = [];
  let t = 0;
  while (active.length > 0 || pending.length > 0) {
    const rates = solveMaxMin(
      platform.linkCapacity,
      // Copied: a platform may return one scratch array for every route.
      active.map((f) => Array.from(platform.route(ops[f.i]!.src, ops[f.i]!.dst))),
      active.map((f) => ops[f.i]!.cap),
    );
    let next = pending.length > 0 ? pending[0]!.t : Number.POSITIVE_INFINITY;
    active.forEach((f, k) => {
      next = Math.min(next, t + f.left / rates[k]!);
    });
    active.forEach((f, k) => {
      f.left -= rates[k]! * (next - t);
    });
    t = next;
    active = active.filter((f) => {
      if (f.left > 1e-9 * Math.max(1, ops[f.i]!.bytes)) return true;
      ends[f.i] = t;
      return false;
    });
    while (pending.length > 0 && pending[0]!.t <= t) {
      const { i } = pending.shift()!;
      if (ops[i]!.bytes === 0) ends[i] = t;
      else active.push({ i, left: ops[i]!.bytes });
    }
  }
  return ends;
}

describe("FlowNetwork against from-scratch max-min", () => {
  it("after every event, each active flow has the rate of a full re-solve of all active flows", () => {
    fc.assert(
      fc.property(scenarios(true), ({ platform, ops }) => {
        const sim = new Simulation();
        const net = new FlowNetwork(sim, platform);
        const got = new Collect();
        drive(sim, net, ops, got);
        while (sim.run({ maxEvents: 1 }) === "events") {
          const flows = net.activeFlows();
          const rates = solveMaxMin(
            platform.linkCapacity,
            flows.map((f) => f.route),
            flows.map((f) => f.cap),
          );
          flows.forEach((f, k) => {
            expect(close(f.rate, rates[k]!, 1e-9), `rate ${f.rate} vs ${rates[k]} at t=${sim.now}`).toBe(
              true,
            );
            expect(f.remaining).toBeGreaterThanOrEqual(0);
          });
          expect(net.activeCount).toBe(flows.length);
        }
        expect(net.activeCount).toBe(0);
      }),
      { seed: 1234, numRuns: 300 },
    );
  });

  it("finishes every transfer when a from-scratch fluid simulation says", () => {
    fc.assert(
      fc.property(scenarios(false), ({ platform, ops }) => {
        const sim = new Simulation();
        const net = new FlowNetwork(sim, platform);
        const got = new Collect();
        const ids = drive(sim, net, ops, got);
        sim.run();
        const expected = referenceEnds(platform, ops);
        ids.forEach((id, i) => {
          const end = got.endOf(id);
          expect(close(end, expected[i]!, 1e-7, 1e-9), `op ${i}: ${end} vs ${expected[i]}`).toBe(true);
        });
      }),
      { seed: 5678, numRuns: 300 },
    );
  });

  it("conserves bytes: sent = received = completed transfers' bytes, link bytes follow routes", () => {
    fc.assert(
      fc.property(scenarios(true), ({ platform, ops }) => {
        const sim = new Simulation();
        const net = new FlowNetwork(sim, platform);
        const got = new Collect();
        drive(sim, net, ops, got);
        sim.run();
        const total = got.done.reduce((sum, t) => sum + t.bytes, 0);
        const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
        expect(close(sum(net.stats.bytesSent), total, 1e-12)).toBe(true);
        expect(close(sum(net.stats.bytesReceived), total, 1e-12)).toBe(true);
        expect(net.stats.completed).toBe(got.done.length);
        const links = new Float64Array(platform.linkCount);
        for (const t of got.done) for (const l of platform.route(t.src, t.dst)) links[l]! += t.bytes;
        links.forEach((x, l) => {
          expect(close(net.stats.linkBytes[l]!, x, 1e-12)).toBe(true);
        });
        // Transfers never cancelled all completed; cancelled ones at most once.
        ops.forEach((op, i) => {
          const count = got.done.filter((t) => t.tag === i).length;
          if (op.cancelAfter === Number.POSITIVE_INFINITY) expect(count).toBe(1);
          else expect(count).toBeLessThanOrEqual(1);
        });
      }),
      { seed: 9012, numRuns: 300 },
    );
  });

  it("re-solves components of hundreds of flows exactly (busy switch, everyone sending at once)", () => {
    const devices = 48;
    const platform = buildPlatform({ kind: "switch", devices, nic: { bandwidth: 10, latency: 0.01 } });
    const op = fc.record({
      at: fc.double({ min: 0, max: 0.5, noNaN: true }),
      src: fc.nat(devices - 1),
      hop: fc.integer({ min: 1, max: devices - 1 }),
      bytes: fc.double({ min: 0.5, max: 4, noNaN: true }),
      cap: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.double({ min: 0.5, max: 5, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 300, maxLength: 300 }), (raw) => {
        const ops: Op[] = raw.map((o) => ({
          ...o,
          dst: (o.src + o.hop) % devices,
          cancelAfter: Number.POSITIVE_INFINITY,
        }));
        const sim = new Simulation();
        const net = new FlowNetwork(sim, platform);
        const got = new Collect();
        const ids = drive(sim, net, ops, got);
        // Plain counting rather than one expect per flow: this loop checks ~10^6 rates.
        let largest = 0;
        let wrongRates = 0;
        while (sim.run({ maxEvents: 1 }) === "events") {
          const flows = net.activeFlows();
          largest = Math.max(largest, flows.length);
          const rates = solveMaxMin(
            platform.linkCapacity,
            flows.map((f) => f.route),
            flows.map((f) => f.cap),
          );
          flows.forEach((f, k) => {
            if (!close(f.rate, rates[k]!, 1e-9)) wrongRates++;
          });
        }
        expect(wrongRates).toBe(0);
        expect(largest).toBeGreaterThan(100);
        const expected = referenceEnds(platform, ops);
        const wrongEnds = ids.filter((id, i) => !close(got.endOf(id), expected[i]!, 1e-7, 1e-9));
        expect(wrongEnds).toEqual([]);
      }),
      { seed: 31337, numRuns: 3 },
    );
  });
});
