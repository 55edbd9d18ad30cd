/**
 * The flow network's completion bookkeeping: its indexed heap against a sorted-array model, the one
 * engine wake-up per network under overload (where flows pile up and every arrival or departure changes
 * the rate of all of them), and transfer-for-transfer agreement with the previous implementation that
 * scheduled one engine event per rate change (`LazyFlowNetwork`).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPlatform } from "../../sim/cluster/network/build-platform.ts";
import { CompletionHeap } from "../../sim/cluster/network/completion-heap.ts";
import { FlowNetwork } from "../../sim/cluster/network/flow-network.ts";
import type { TransferListener, TransferRecord } from "../../sim/cluster/network/network.ts";
import type { Platform } from "../../sim/cluster/network/platform.ts";
import { Simulation } from "../../sim/engine/simulation.ts";
import { TablePlatform } from "./helpers.ts";
import { LazyFlowNetwork } from "./lazy-flow-network.ts";

type AnyFlowNetwork = FlowNetwork | LazyFlowNetwork;
type Implementation = "heap" | "lazy";

function network(which: Implementation, sim: Simulation, platform: Platform): AnyFlowNetwork {
  return which === "heap" ? new FlowNetwork(sim, platform) : new LazyFlowNetwork(sim, platform);
}

function describeRecord(t: TransferRecord): string {
  return `done id=${t.id} tag=${t.tag} ${t.src}->${t.dst} bytes=${t.bytes} start=${t.start} end=${t.end}`;
}

describe("CompletionHeap", () => {
  it("always yields the smallest (time, order of setting) among its entries, as a sorted array does", () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("set" as const),
        slot: fc.nat(24),
        time: fc.integer({ min: 0, max: 6 }),
      }),
      fc.record({ kind: fc.constant("remove" as const), slot: fc.nat(24), time: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const heap = new CompletionHeap();
        const model = new Map<number, { time: number; seq: number }>();
        let seq = 0;
        for (const { kind, slot, time } of ops) {
          if (kind === "set") {
            heap.set(slot, time);
            model.set(slot, { time, seq: seq++ });
          } else {
            heap.remove(slot);
            model.delete(slot);
          }
          const sorted = [...model.entries()].sort((a, b) => a[1].time - b[1].time || a[1].seq - b[1].seq);
          expect(heap.size).toBe(model.size);
          expect(heap.min).toBe(sorted.length > 0 ? sorted[0]![0] : -1);
          for (const [s, key] of model) {
            expect(heap.has(s)).toBe(true);
            expect(heap.timeOf(s)).toBe(key.time);
          }
        }
        // Draining by repeated removal of the minimum gives the model's full order.
        const order: number[] = [];
        while (heap.min >= 0) {
          order.push(heap.min);
          heap.remove(heap.min);
        }
        const expected = [...model.entries()]
          .sort((a, b) => a[1].time - b[1].time || a[1].seq - b[1].seq)
          .map(([s]) => s);
        expect(order).toEqual(expected);
      }),
      { seed: 4242, numRuns: 200 },
    );
  });
});

/**
 * Overload: transfers of random sizes arrive at devices 1..7 → device 0 every `gap` seconds, offering
 * `load` times the capacity of device 0's downlink, so the backlog of active flows grows for the whole
 * run and every arrival or departure changes the rate of all of them.
 */
function overload(which: Implementation, transfers: number, load: number) {
  const bandwidth = 1e9;
  const platform = buildPlatform({ kind: "switch", devices: 8, nic: { bandwidth, latency: 2.5e-6 } });
  const sim = new Simulation();
  const net = network(which, sim, platform);
  const meanBytes = 1e6;
  const gap = meanBytes / (load * bandwidth);
  const log: string[] = [];
  const listener: TransferListener = { onTransferDone: (t) => log.push(describeRecord(t)) };
  // Sizes from a fixed LCG, uniform in [0.5, 1.5) × mean: distinct, so completions are spread out.
  let state = 12345;
  const arrive = sim.registerKind("test.arrival", {
    handle: (_kind, index) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const bytes = Math.round(meanBytes * (0.5 + state / 2 ** 32));
      net.transfer(1 + (index % 7), 0, bytes, listener, index);
      if (index + 1 < transfers) sim.after(gap, arrive, index + 1);
    },
  });
  sim.at(0, arrive, 0);
  let maxPending = 0;
  let maxWakeUps = 0;
  let maxActive = 0;
  while (sim.run({ maxEvents: 1 }) === "events") {
    maxPending = Math.max(maxPending, sim.pending);
    maxActive = Math.max(maxActive, net.activeCount);
    if (net instanceof FlowNetwork) maxWakeUps = Math.max(maxWakeUps, net.pendingWakeUps);
  }
  return { log, events: sim.events, maxPending, maxWakeUps, maxActive, completed: net.stats.completed };
}

describe("FlowNetwork under overload", () => {
  it("holds a bounded number of engine events however many flows pile up, with the same transfers", () => {
    for (const transfers of [200, 800]) {
      const heap = overload("heap", transfers, 2);
      const lazy = overload("lazy", transfers, 2);
      expect(heap.completed).toBe(transfers);
      // The backlog grows for the whole run (arrivals at twice the drain rate).
      expect(heap.maxActive).toBeGreaterThan(transfers / 2);
      // Pending at any time: the next arrival, at most one transfer waiting out its latency, and this
      // network's completion wake-up (one live; none superseded here: no arrival is the first due).
      expect(heap.maxWakeUps).toBeLessThanOrEqual(1);
      expect(heap.maxPending).toBeLessThanOrEqual(3);
      // Per transfer: its arrival, its latency event, its completion, and at most one early wake-up
      // (an arrival slowed the flow a wake-up was set for; it fires, finds nothing due, sets the next).
      expect(heap.events).toBeLessThanOrEqual(4 * transfers);
      // The previous implementation, for contrast: its superseded completions pile up.
      expect(lazy.maxPending).toBeGreaterThan(transfers / 4);
      expect(lazy.events).toBeGreaterThan(10 * heap.events);
      // And every transfer starts and ends as it did there, in the same order.
      expect(heap.log).toEqual(lazy.log);
    }
  });
});

interface Op {
  readonly at: number;
  readonly src: number;
  readonly dst: number;
  readonly bytes: number;
  readonly cap: number;
  /** Cancel this long after starting (Infinity: never). */
  readonly cancelAfter: number;
}

/**
 * Random small instances with many ties between flows: transfers start in a few bursts (several at the
 * same instant), sizes and capacities are often small integers (so flows started together often finish
 * together), a route crosses 1..4 links, and some transfers are cancelled.
 */
function scenarios(): fc.Arbitrary<{ platform: TablePlatform; ops: Op[] }> {
  return fc
    .record({
      devices: fc.integer({ min: 2, max: 6 }),
      links: fc.integer({ min: 1, max: 6 }),
      bursts: fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 1, maxLength: 4 }),
    })
    .chain(({ devices, links, bursts }) =>
      fc.record({
        platform: fc
          .record({
            capacity: fc.array(
              fc.oneof(fc.integer({ min: 1, max: 4 }), fc.double({ min: 0.5, max: 10, noNaN: true })),
              { minLength: links, maxLength: links },
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
              at: fc.constantFrom(...bursts),
              src: fc.nat(devices - 1),
              hop: fc.integer({ min: 1, max: devices - 1 }),
              bytes: fc.oneof(
                fc.constant(0),
                fc.integer({ min: 1, max: 8 }),
                fc.double({ min: 0.01, max: 10, noNaN: true }),
              ),
              cap: fc.oneof(
                fc.constant(Number.POSITIVE_INFINITY),
                fc.integer({ min: 1, max: 3 }),
                fc.double({ min: 0.2, max: 5, noNaN: true }),
              ),
              cancelAfter: fc.oneof(
                fc.constant(Number.POSITIVE_INFINITY),
                fc.constant(Number.POSITIVE_INFINITY),
                fc.double({ min: 0, max: 3, noNaN: true }),
              ),
            })
            .map(({ hop, ...o }) => ({ ...o, dst: (o.src + hop) % devices })),
          { minLength: 1, maxLength: 30 },
        ),
      }),
    );
}

/** Runs `ops` on one implementation; the log interleaves the test's own events with completions. */
function replay(which: Implementation, platform: Platform, ops: readonly Op[]) {
  const sim = new Simulation();
  const net = network(which, sim, platform);
  const log: string[] = [];
  const ids = ops.map(() => -1);
  const listener: TransferListener = { onTransferDone: (t) => log.push(describeRecord(t)) };
  const kind = sim.registerKind("test.op", {
    handle: (_k, index, cancel) => {
      const op = ops[index]!;
      log.push(`${cancel === 1 ? "cancel" : "start"} ${index} at ${sim.now}`);
      if (cancel === 1) net.cancel(ids[index]!);
      else {
        ids[index] = net.transfer(op.src, op.dst, op.bytes, listener, index, op.cap);
        if (op.cancelAfter < Number.POSITIVE_INFINITY) sim.after(op.cancelAfter, kind, index, 1);
      }
    },
  });
  ops.forEach((op, index) => {
    sim.at(op.at, kind, index, 0);
  });
  sim.run();
  return { log, drained: sim.now };
}

describe("FlowNetwork against one engine event per rate change", () => {
  it("completes every transfer at the same time and in the same order, ties included", () => {
    fc.assert(
      fc.property(scenarios(), ({ platform, ops }) => {
        const heap = replay("heap", platform, ops);
        const lazy = replay("lazy", platform, ops);
        expect(heap.log).toEqual(lazy.log);
        // Drained no later: superseded completion events no longer move the clock past the last one.
        expect(heap.drained).toBeLessThanOrEqual(lazy.drained);
      }),
      { seed: 8675309, numRuns: 400 },
    );
  });

  it("completes flows due together back to back, before what their listeners schedule for that instant", () => {
    // Rounds of a ring exchange on a switch: every device sends to the next, all flows of a round
    // finish at the same instant; each listener wakes its sender through a zero-delay event (as a
    // process would be resumed), which starts the next round; one transfer is cancelled midway.
    const trace = (which: Implementation): string[] => {
      const devices = 6;
      const platform = buildPlatform({ kind: "switch", devices, nic: { bandwidth: 4, latency: 0.125 } });
      const sim = new Simulation();
      const net = network(which, sim, platform);
      const log: string[] = [];
      const ids: number[] = [];
      let resume = 0;
      const listener: TransferListener = {
        onTransferDone: (t) => {
          log.push(describeRecord(t));
          if (t.tag < 40) sim.after(0, resume, t.src, t.tag + devices);
        },
      };
      resume = sim.registerKind("test.resume", {
        handle: (_k, src, tag) => {
          log.push(`resume ${src} tag=${tag} at ${sim.now}`);
          ids[tag] = net.transfer(src, (src + 1) % devices, 2 + (tag % 3), listener, tag);
          // Device 0 also sends a small message to device 3 in every other round, sharing links.
          if (src === 0 && tag % 2 === 0) net.transfer(0, 3, 1, listener, 1000 + tag);
        },
      });
      const cancel = sim.registerKind("test.cancel", {
        handle: (_k, tag) => {
          log.push(`cancel tag=${tag} at ${sim.now}`);
          net.cancel(ids[tag]!);
        },
      });
      for (let src = 0; src < devices; src++) sim.at(0, resume, src, src);
      sim.at(3.3, cancel, 20);
      sim.run();
      return log;
    };
    const heap = trace("heap");
    expect(heap).toEqual(trace("lazy"));
    // The scenario does produce simultaneous completions followed by same-instant wake-ups.
    expect(heap.filter((line) => line.startsWith("done")).length).toBeGreaterThan(40);
  });
});
