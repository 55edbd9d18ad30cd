/**
 * Flows grouped into classes must not move any transfer: under overload on a switch, with traffic
 * between ring neighbours (so classes hold dozens of flows), a few capped transfers (classes of their
 * own) and cancellations, `FlowNetwork` ends every transfer at the very time, in the very order, that
 * the per-flow reference (`LazyFlowNetwork`, which solves flow by flow over the per-flow search) does.
 */
import { describe, expect, it } from "vitest";
import { buildPlatform } from "../../sim/cluster/network/build-platform.ts";
import { FlowNetwork } from "../../sim/cluster/network/flow-network.ts";
import type { TransferListener } from "../../sim/cluster/network/network.ts";
import { Simulation } from "../../sim/engine/simulation.ts";
import { TablePlatform } from "./helpers.ts";
import { LazyFlowNetwork } from "./lazy-flow-network.ts";

function trace(which: "classes" | "per-flow", transfers: number): string[] {
  const devices = 12;
  const platform = buildPlatform({ kind: "switch", devices, nic: { bandwidth: 1e9, latency: 5e-6 } });
  const sim = new Simulation();
  const net = which === "classes" ? new FlowNetwork(sim, platform) : new LazyFlowNetwork(sim, platform);
  const log: string[] = [];
  const ids: number[] = [];
  const listener: TransferListener = {
    onTransferDone: (t) => log.push(`done ${t.tag} ${t.src}->${t.dst} end=${t.end}`),
  };
  // Sizes from a fixed LCG; 1.6× the NICs' capacity on average, so flows pile up in their classes.
  let state = 2024;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const meanBytes = 1e6;
  const gap = meanBytes / (1.6 * devices * 1e9);
  const arrive = sim.registerKind("test.arrival", {
    handle: (_kind, index) => {
      const src = Math.floor(next() * devices);
      const dst = (src + (next() < 0.5 ? 1 : devices - 1)) % devices;
      const bytes = Math.round(meanBytes * (0.5 + next()));
      const cap = index % 17 === 0 ? 2e8 : Number.POSITIVE_INFINITY;
      ids[index] = net.transfer(src, dst, bytes, listener, index, cap);
      if (index % 23 === 5) net.cancel(ids[index - 5]!);
      if (index + 1 < transfers) sim.after(gap, arrive, index + 1);
    },
  });
  sim.at(0, arrive, 0);
  let largest = 0;
  while (sim.run({ maxEvents: 1 }) === "events") {
    if (net instanceof FlowNetwork) largest = Math.max(largest, net.activeCount);
  }
  if (which === "classes") log.push(`largest backlog ${largest}`);
  return log;
}

describe("FlowNetwork's flow classes", () => {
  it("end every transfer as the per-flow solve does, bit for bit, under overload", () => {
    const classes = trace("classes", 1500);
    const backlog = Number(classes.pop()!.split(" ")[2]);
    // The backlog did pile up: classes of many flows were solved as one entry.
    expect(backlog).toBeGreaterThan(200);
    expect(classes.length).toBeGreaterThan(1400);
    expect(classes).toEqual(trace("per-flow", 1500));
  });
});

describe("FlowNetwork's component search", () => {
  it("takes the classes met on a link oldest member first, as the per-flow search met the flows", () => {
    // Found by fast-check when the classes on a link were taken newest first: links of equal share
    // (capacities 4 and 4.000000000000001) then pop in another order, and the last bit of a rate moves.
    const routes: number[][] = Array.from({ length: 36 }, () => [0]);
    routes[4] = [5];
    routes[6] = [2];
    routes[9] = [1];
    routes[12] = [2, 5, 0];
    routes[19] = [1];
    routes[30] = [1, 5, 2];
    const platform = new TablePlatform(
      6,
      [4.000000000000001, 4, 4.000000000000001, 0.5, 0.5, 4],
      [0, 0, 0, 0, 0, 0],
      routes,
    );
    const ops = [
      { src: 1, dst: 3, bytes: 1, cap: 2 },
      { src: 0, dst: 4, bytes: 0.01, cap: Number.POSITIVE_INFINITY },
      { src: 2, dst: 0, bytes: 1, cap: Number.POSITIVE_INFINITY },
      { src: 3, dst: 1, bytes: 1, cap: Number.POSITIVE_INFINITY },
      { src: 5, dst: 0, bytes: 1, cap: 2 },
      { src: 1, dst: 0, bytes: 1, cap: 0.2, cancel: true },
      { src: 0, dst: 1, bytes: 0, cap: Number.POSITIVE_INFINITY, cancel: true },
    ];
    const replay = (which: "classes" | "per-flow"): string[] => {
      const sim = new Simulation();
      const net = which === "classes" ? new FlowNetwork(sim, platform) : new LazyFlowNetwork(sim, platform);
      const log: string[] = [];
      const listener: TransferListener = { onTransferDone: (t) => log.push(`done ${t.tag} end=${t.end}`) };
      const kind = sim.registerKind("test.op", {
        handle: (_k, index, cancel) => {
          const op = ops[index]!;
          if (cancel === 1) net.cancel(ids[index]!);
          else {
            ids[index] = net.transfer(op.src, op.dst, op.bytes, listener, index, op.cap);
            if (op.cancel === true) sim.after(0, kind, index, 1);
          }
        },
      });
      const ids: number[] = [];
      ops.forEach((_, index) => {
        sim.at(1e-78, kind, index, 0);
      });
      sim.run();
      return log;
    };
    const classes = replay("classes");
    expect(classes.length).toBe(6);
    expect(classes).toEqual(replay("per-flow"));
  });
});
