import { describe, expect, it } from "vitest";
import { AlphaBetaNetwork } from "../../sim/cluster/network/alpha-beta-network.ts";
import { buildPlatform } from "../../sim/cluster/network/build-platform.ts";
import { FlowNetwork } from "../../sim/cluster/network/flow-network.ts";
import type { Network } from "../../sim/cluster/network/network.ts";
import type { Platform } from "../../sim/cluster/network/platform.ts";
import { Simulation } from "../../sim/engine/simulation.ts";
import { InputError } from "../../sim/errors.ts";
import { Collect, expectClose, pathGraph } from "./helpers.ts";

const B = 12.5e9;
const L = 2e-6;
const S = 64 * 2 ** 20;
const EXACT = 1e-12;

type Model = "alpha-beta" | "flow";
const models: Model[] = ["alpha-beta", "flow"];

function make(model: Model, platform: Platform): { sim: Simulation; net: Network; got: Collect } {
  const sim = new Simulation();
  const net = model === "flow" ? new FlowNetwork(sim, platform) : new AlphaBetaNetwork(sim, platform);
  return { sim, net, got: new Collect() };
}

const line = () => buildPlatform({ kind: "graph", graph: pathGraph(4), cable: { bandwidth: B, latency: L } });
const star = (devices: number, duplex: "full" | "half" = "full") =>
  buildPlatform({ kind: "switch", devices, nic: { bandwidth: B, latency: L }, duplex });

describe.each(models)("%s model, one transfer", (model) => {
  it("takes latency + bytes / bandwidth over a 3-hop path", () => {
    const { sim, net, got } = make(model, line());
    const id = net.transfer(0, 3, S, got, 7);
    sim.run();
    expectClose(got.endOf(id), 3 * L + S / B, EXACT);
    expect(got.done[0]).toMatchObject({ src: 0, dst: 3, bytes: S, start: 0, tag: 7 });
  });

  it("is held to its rate cap", () => {
    const { sim, net, got } = make(model, line());
    const id = net.transfer(0, 1, S, got, 0, B / 4);
    sim.run();
    expectClose(got.endOf(id), L + (4 * S) / B, EXACT);
  });

  it("with zero bytes takes the latency", () => {
    const { sim, net, got } = make(model, line());
    const id = net.transfer(2, 0, 0, got);
    sim.run();
    expectClose(got.endOf(id), 2 * L, EXACT);
  });

  it("counts bytes per device and per link of its route", () => {
    const platform = line();
    const { sim, net, got } = make(model, platform);
    net.transfer(0, 2, S, got);
    net.transfer(3, 1, S / 2, got);
    sim.run();
    expect(net.stats.completed).toBe(2);
    expect(Array.from(net.stats.bytesSent)).toEqual([S, 0, 0, S / 2]);
    expect(Array.from(net.stats.bytesReceived)).toEqual([0, S / 2, S, 0]);
    const expected = new Float64Array(platform.linkCount);
    for (const l of platform.route(0, 2)) expected[l]! += S;
    for (const l of platform.route(3, 1)) expected[l]! += S / 2;
    expect(Array.from(net.stats.linkBytes)).toEqual(Array.from(expected));
  });

  it("never reports a cancelled transfer, and a stale id cancels nothing", () => {
    const { sim, net, got } = make(model, star(3));
    const first = net.transfer(0, 1, S, got);
    net.cancel(first);
    // The freed slot is reused; cancelling the old id again must not touch the new transfer.
    const second = net.transfer(0, 1, S, got);
    expect(second).not.toBe(first);
    net.cancel(first);
    sim.run();
    expect(got.done.map((t) => t.id)).toEqual([second]);
    net.cancel(second); // already done: no-op
    expect(net.stats.completed).toBe(1);
  });

  it("rejects bad arguments with an InputError", () => {
    const { net, got } = make(model, star(3));
    expect(() => net.transfer(0, 0, S, got)).toThrow(InputError);
    expect(() => net.transfer(0, 3, S, got)).toThrow(/transfer\.dst/);
    expect(() => net.transfer(0, 1, -1, got)).toThrow(/transfer\.bytes/);
    expect(() => net.transfer(0, 1, S, got, 0, 0)).toThrow(/transfer\.rateCap/);
  });

  it("records every transfer only when asked to", () => {
    const sim = new Simulation();
    const platform = star(3);
    const on =
      model === "flow"
        ? new FlowNetwork(sim, platform, { recordTransfers: true })
        : new AlphaBetaNetwork(sim, platform, { recordTransfers: true });
    const off = model === "flow" ? new FlowNetwork(sim, platform) : new AlphaBetaNetwork(sim, platform);
    const got = new Collect();
    on.transfer(0, 1, S, got, 3);
    on.transfer(1, 2, S, got, 4);
    off.transfer(0, 1, S, got);
    sim.run();
    expect(on.transfers.map((t) => t.tag)).toEqual([3, 4]);
    expect(on.transfers[0]).toMatchObject({ src: 0, dst: 1, bytes: S, start: 0 });
    expect(off.transfers).toEqual([]);
  });
});

describe("contention", () => {
  it("alpha-beta ignores it: two transfers on one link both take latency + S/B", () => {
    const { sim, net, got } = make("alpha-beta", line());
    const a = net.transfer(0, 1, S, got);
    const b = net.transfer(0, 1, S, got);
    sim.run();
    expectClose(got.endOf(a), L + S / B, EXACT);
    expectClose(got.endOf(b), L + S / B, EXACT);
  });

  it("flow: two flows sharing one link get half each and finish together at latency + 2S/B", () => {
    const { sim, net, got } = make("flow", star(3));
    // Both into device 2: they share its downlink.
    const a = net.transfer(0, 2, S, got);
    const b = net.transfer(1, 2, S, got);
    sim.run();
    expectClose(got.endOf(a), 2 * L + (2 * S) / B, EXACT);
    expectClose(got.endOf(b), 2 * L + (2 * S) / B, EXACT);
  });

  it("flow: the flow that finishes first frees its bandwidth to the other (exact times)", () => {
    const { sim, net, got } = make("flow", line());
    const short = net.transfer(0, 1, S, got);
    const long = net.transfer(0, 1, 2 * S, got);
    sim.run();
    // Both at B/2 until the short one ends at L + 2S/B; the long one then has S left at B.
    expectClose(got.endOf(short), L + (2 * S) / B, EXACT);
    expectClose(got.endOf(long), L + (3 * S) / B, EXACT);
  });

  it("flow: a late joiner slows the first flow from then on only", () => {
    const { sim, net, got } = make("flow", line());
    const first = net.transfer(0, 1, S, got);
    let second = -1;
    const t1 = L + S / (2 * B); // the first has sent S/2 alone by then
    const late = sim.registerKind("late", {
      handle: () => {
        second = net.transfer(0, 1, S / 4, got);
      },
    });
    // Started L earlier, so that it competes from t1 on.
    sim.at(t1 - L, late);
    sim.run();
    // The second flow is active from t1 with S/4; both at B/2: it ends at t1 + S/(2B), when the first
    // has S/2 − S/4 = S/4 left, which it then sends alone at B.
    expectClose(got.endOf(second), t1 + S / (2 * B), EXACT);
    expectClose(got.endOf(first), t1 + S / (2 * B) + S / (4 * B), EXACT);
  });

  it("flow: a NIC sending to three peers at once gives each a third", () => {
    const { sim, net, got } = make("flow", star(4));
    const ids = [1, 2, 3].map((d) => net.transfer(0, d, S, got));
    sim.run();
    for (const id of ids) expectClose(got.endOf(id), 2 * L + (3 * S) / B, EXACT);
  });

  it("flow: a cancelled flow frees its share at once", () => {
    const { sim, net, got } = make("flow", line());
    const kept = net.transfer(0, 1, S, got);
    const dropped = net.transfer(0, 1, S, got);
    const at = L + S / (2 * B); // both at B/2 so far: kept has sent S/4
    sim.at(at, sim.registerKind("cancel", { handle: () => net.cancel(dropped) }));
    sim.run();
    expect(got.done.map((t) => t.id)).toEqual([kept]);
    expectClose(got.endOf(kept), at + (3 * S) / (4 * B), EXACT);
  });

  it("half duplex halves the throughput of a bidirectional exchange", () => {
    for (const duplex of ["full", "half"] as const) {
      const platform = buildPlatform({
        kind: "graph",
        graph: pathGraph(2),
        cable: { bandwidth: B, latency: L },
        duplex,
      });
      const { sim, net, got } = make("flow", platform);
      const there = net.transfer(0, 1, S, got);
      const back = net.transfer(1, 0, S, got);
      sim.run();
      const expected = L + (duplex === "full" ? S / B : (2 * S) / B);
      expectClose(got.endOf(there), expected, EXACT);
      expectClose(got.endOf(back), expected, EXACT);
    }
  });

  it("half duplex NICs on a switch: sending and receiving at once share the NIC", () => {
    const { sim, net, got } = make("flow", star(3, "half"));
    const a = net.transfer(0, 1, S, got);
    const b = net.transfer(2, 0, S, got);
    sim.run();
    expectClose(got.endOf(a), 2 * L + (2 * S) / B, EXACT);
    expectClose(got.endOf(b), 2 * L + (2 * S) / B, EXACT);
  });
});
