/**
 * The α-β (latency-bandwidth, "Hockney") model: a message of S bytes over a route takes
 * latency(route) + S / min(bottleneck(route), rateCap), whatever else is on the network. No contention
 * is modelled, which makes it the fastest fidelity (one event per transfer) and exact on idle or
 * contention-free schedules; use `FlowNetwork` when links are shared. Its timing rule is all it adds to
 * `SlotNetwork`'s bookkeeping.
 */
import type { Simulation } from "../../engine/simulation.ts";
import type { TransferListener } from "./network.ts";
import type { Platform } from "./platform.ts";
import { SlotNetwork } from "./slot-network.ts";
import type { NetworkOptions } from "./transfer-record.ts";

export class AlphaBetaNetwork extends SlotNetwork {
  private readonly doneKind: number;

  constructor(sim: Simulation, platform: Platform, options: NetworkOptions = {}) {
    super(sim, platform, options);
    this.doneKind = sim.registerKind("alpha-beta.transfer-done", this);
  }

  transfer(
    src: number,
    dst: number,
    bytes: number,
    listener: TransferListener,
    tag = 0,
    rateCap = Number.POSITIVE_INFINITY,
  ): number {
    const slot = this.open(src, dst, bytes, listener, tag, rateCap);
    const platform = this.platform;
    const route = platform.route(src, dst);
    let latency = 0;
    let rate = rateCap;
    for (let i = 0; i < route.length; i++) {
      const link = route[i]!;
      latency += platform.linkLatency[link]!;
      const capacity = platform.linkCapacity[link]!;
      if (capacity < rate) rate = capacity;
    }
    this.sim.after(latency + bytes / rate, this.doneKind, slot, this.version[slot]!);
    return this.slots.idOf(slot);
  }

  handle(_kind: number, slot: number, version: number): void {
    if (this.version[slot] !== version) return; // cancelled
    const route = this.platform.route(this.src[slot]!, this.dst[slot]!);
    this.finish(slot, route, 0, route.length);
  }

  /** Nothing to stop: the completion event stays queued and is ignored (its slot's version moved on). */
  protected abort(_slot: number): void {}
}
