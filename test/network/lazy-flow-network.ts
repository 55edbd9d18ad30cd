/**
 * The flow network as it was before its completions moved into an indexed heap: one engine event per
 * rate change, the superseded ones ignored by version when they fire (lazy cancellation). Kept as the
 * oracle that `FlowNetwork` must match transfer for transfer (same ends, same order); it shares the
 * component gathering and the solver, so the two compute bit-identical rates.
 */

import { FlowHops } from "../../sim/cluster/network/flow-hops.ts";
import { MaxMinSolver } from "../../sim/cluster/network/maxmin.ts";
import type {
  Network,
  NetworkStats,
  TransferListener,
  TransferRecord,
} from "../../sim/cluster/network/network.ts";
import type { Platform } from "../../sim/cluster/network/platform.ts";
import { checkTransfer } from "../../sim/cluster/network/transfer-checks.ts";
import {
  createNetworkStats,
  type NetworkOptions,
  ScratchRecord,
} from "../../sim/cluster/network/transfer-record.ts";
import { TransferSlots } from "../../sim/cluster/network/transfer-slots.ts";
import { ensureFloat64, ensureInt32, ensureUint8 } from "../../sim/cluster/network/typed-growth.ts";
import type { EventHandler, Simulation } from "../../sim/engine/simulation.ts";
import { InputError } from "../../sim/errors.ts";
import { FlowComponent, type FlowTable } from "./per-flow-component.ts";

export interface FlowNetworkOptions extends NetworkOptions {
  /** Rate cap (bytes/s) of transfers that give none; +Infinity (no cap) by default. */
  readonly flowRateCap?: number;
}

/** A snapshot of one active flow, for tests and diagnostics (allocates; not for hot paths). */
export interface ActiveFlow {
  readonly id: number;
  readonly src: number;
  readonly dst: number;
  readonly route: readonly number[];
  readonly rate: number;
  readonly cap: number;
  /** Bytes still to deliver at the current simulated time. */
  readonly remaining: number;
}

// Phases of a transfer slot.
const FREE = 0;
/** Started, waiting out the route latency; not yet competing for bandwidth. */
const WAITING = 1;
/** Competing for bandwidth on its route. */
const ACTIVE = 2;

export class LazyFlowNetwork implements Network, EventHandler, FlowTable {
  readonly platform: Platform;
  readonly stats: NetworkStats;
  /** Every completed transfer, in completion order, when `recordTransfers` is on; else stays empty. */
  readonly transfers: TransferRecord[] = [];
  /** Flows currently competing for bandwidth. */
  activeCount = 0;
  private readonly sim: Simulation;
  private readonly startKind: number;
  private readonly doneKind: number;
  private readonly recordTransfers: boolean;
  private readonly defaultCap: number;
  private readonly slots = new TransferSlots();
  private readonly record = new ScratchRecord();
  private readonly hops: FlowHops;
  private readonly component: FlowComponent;
  private readonly solver = new MaxMinSolver();
  // Per-slot fields. The three FlowTable ones are public only so that FlowComponent can read them
  // (they are replaced when they grow, so it cannot keep references); treat them as internal.
  hopStart = new Int32Array(16);
  hopCount = new Int32Array(16);
  cap = new Float64Array(16);
  private phase = new Uint8Array(16);
  private src = new Int32Array(16);
  private dst = new Int32Array(16);
  private version = new Int32Array(16);
  private bytes = new Float64Array(16);
  private start = new Float64Array(16);
  private tag = new Float64Array(16);
  /** Bytes left as of `updated`; exact while the rate is constant. */
  private remaining = new Float64Array(16);
  private rate = new Float64Array(16);
  private updated = new Float64Array(16);
  private listeners: (TransferListener | undefined)[] = [];

  constructor(sim: Simulation, platform: Platform, options: FlowNetworkOptions = {}) {
    this.sim = sim;
    this.platform = platform;
    this.recordTransfers = options.recordTransfers ?? false;
    this.defaultCap = options.flowRateCap ?? Number.POSITIVE_INFINITY;
    if (!(this.defaultCap > 0)) {
      throw new InputError("network.flowRateCap", this.defaultCap, "a positive number of bytes per second");
    }
    this.stats = createNetworkStats(platform.deviceCount, platform.linkCount);
    this.hops = new FlowHops(platform.linkCount);
    this.component = new FlowComponent(platform.linkCount);
    this.startKind = sim.registerKind("flow.start", this);
    this.doneKind = sim.registerKind("flow.done", this);
  }

  get slotCount(): number {
    return this.slots.highWater;
  }

  transfer(
    src: number,
    dst: number,
    bytes: number,
    listener: TransferListener,
    tag = 0,
    rateCap = this.defaultCap,
  ): number {
    checkTransfer(this.platform.deviceCount, src, dst, bytes, rateCap);
    const platform = this.platform;
    const slot = this.slots.acquire();
    this.ensureCapacity(this.slots.highWater);
    // Copy the route now: the platform's array may be a scratch buffer.
    const route = platform.route(src, dst);
    const first = this.hops.allocate(route.length, slot);
    const hopLink = this.hops.link;
    let latency = 0;
    for (let i = 0; i < route.length; i++) {
      const link = route[i]!;
      hopLink[first + i] = link;
      latency += platform.linkLatency[link]!;
    }
    this.hopStart[slot] = first;
    this.hopCount[slot] = route.length;
    this.cap[slot] = rateCap;
    this.phase[slot] = WAITING;
    this.src[slot] = src;
    this.dst[slot] = dst;
    this.bytes[slot] = bytes;
    this.start[slot] = this.sim.now;
    this.tag[slot] = tag;
    this.listeners[slot] = listener;
    this.sim.after(latency, this.startKind, slot, this.version[slot]!);
    return this.slots.idOf(slot);
  }

  cancel(transferId: number): void {
    const slot = this.slots.slotOf(transferId);
    if (slot < 0) return;
    const phase = this.phase[slot]!;
    if (phase === FREE) return;
    if (phase === ACTIVE) {
      this.detach(slot);
      this.resolveAround(slot);
    }
    this.free(slot);
  }

  handle(kind: number, slot: number, version: number): void {
    if (this.version[slot] !== version) return; // superseded by a rate change, or cancelled
    if (kind === this.startKind) this.activate(slot);
    else this.complete(slot);
  }

  /** The active flows now, in slot order. Allocates: for tests and diagnostics. */
  activeFlows(): ActiveFlow[] {
    const now = this.sim.now;
    const flows: ActiveFlow[] = [];
    for (let slot = 0; slot < this.slots.highWater; slot++) {
      if (this.phase[slot] !== ACTIVE) continue;
      const start = this.hopStart[slot]!;
      const rate = this.rate[slot]!;
      const remaining = this.remaining[slot]! - rate * (now - this.updated[slot]!);
      flows.push({
        id: this.slots.idOf(slot),
        src: this.src[slot]!,
        dst: this.dst[slot]!,
        route: Array.from(this.hops.link.subarray(start, start + this.hopCount[slot]!)),
        rate,
        cap: this.cap[slot]!,
        remaining: Math.max(remaining, 0),
      });
    }
    return flows;
  }

  /** The latency has elapsed: the transfer starts competing for bandwidth. */
  private activate(slot: number): void {
    if (this.bytes[slot] === 0) {
      this.finish(slot);
      return;
    }
    this.phase[slot] = ACTIVE;
    this.activeCount++;
    this.remaining[slot] = this.bytes[slot]!;
    this.rate[slot] = 0;
    this.updated[slot] = this.sim.now;
    const first = this.hopStart[slot]!;
    const end = first + this.hopCount[slot]!;
    for (let h = first; h < end; h++) this.hops.attach(h);
    this.resolveAround(slot);
  }

  /** The last byte has arrived: free its links for the others, then tell the listener. */
  private complete(slot: number): void {
    this.detach(slot);
    this.resolveAround(slot);
    this.finish(slot);
  }

  private detach(slot: number): void {
    const first = this.hopStart[slot]!;
    const end = first + this.hopCount[slot]!;
    for (let h = first; h < end; h++) this.hops.detach(h);
    this.phase[slot] = WAITING;
    this.activeCount--;
  }

  /**
   * Re-solves the component around `slot`'s links: accounts every member's progress at its old rate,
   * computes the new max-min rates, and reschedules the completion of each flow whose rate changed.
   */
  private resolveAround(slot: number): void {
    const component = this.component;
    component.gather(this.hops, this, this.hopStart[slot]!, this.hopCount[slot]!, this.platform.linkCapacity);
    const count = component.flowCount;
    if (count === 0) return;
    const now = this.sim.now;
    const flows = component.flows;
    const remaining = this.remaining;
    const rate = this.rate;
    const updated = this.updated;
    for (let i = 0; i < count; i++) {
      const f = flows[i]!;
      const elapsed = now - updated[f]!;
      if (elapsed > 0) {
        const left = remaining[f]! - rate[f]! * elapsed;
        remaining[f] = Math.max(left, 0);
        updated[f] = now;
      }
    }
    const rates = component.rates;
    this.solver.solve(
      component.linkCount,
      component.capacity,
      count,
      component.routeStart,
      component.routeLinks,
      component.caps,
      rates,
    );
    for (let i = 0; i < count; i++) {
      const f = flows[i]!;
      const r = rates[i]!;
      if (r === rate[f]) continue; // unchanged: its scheduled completion still holds
      rate[f] = r;
      const version = (this.version[f]! + 1) | 0;
      this.version[f] = version;
      this.sim.at(now + remaining[f]! / r, this.doneKind, f, version);
    }
  }

  /** Accounts the finished transfer, frees its slot, then calls its listener. */
  private finish(slot: number): void {
    const src = this.src[slot]!;
    const dst = this.dst[slot]!;
    const bytes = this.bytes[slot]!;
    const stats = this.stats;
    stats.bytesSent[src]! += bytes;
    stats.bytesReceived[dst]! += bytes;
    const first = this.hopStart[slot]!;
    const end = first + this.hopCount[slot]!;
    const hopLink = this.hops.link;
    for (let h = first; h < end; h++) stats.linkBytes[hopLink[h]!]! += bytes;
    stats.completed++;
    const record = this.record;
    record.set(this.slots.idOf(slot), src, dst, bytes, this.start[slot]!, this.sim.now, this.tag[slot]!);
    if (this.recordTransfers) this.transfers.push(record.copy());
    const listener = this.listeners[slot]!;
    // Free before calling out: the listener may start transfers that reuse this slot.
    this.free(slot);
    listener.onTransferDone(record);
  }

  private free(slot: number): void {
    this.hops.release(this.hopStart[slot]!, this.hopCount[slot]!);
    this.phase[slot] = FREE;
    this.version[slot] = (this.version[slot]! + 1) | 0;
    this.listeners[slot] = undefined;
    this.slots.release(slot);
  }

  private ensureCapacity(slots: number): void {
    if (slots <= this.phase.length) return;
    this.hopStart = ensureInt32(this.hopStart, slots);
    this.hopCount = ensureInt32(this.hopCount, slots);
    this.cap = ensureFloat64(this.cap, slots);
    this.phase = ensureUint8(this.phase, slots);
    this.src = ensureInt32(this.src, slots);
    this.dst = ensureInt32(this.dst, slots);
    this.version = ensureInt32(this.version, slots);
    this.bytes = ensureFloat64(this.bytes, slots);
    this.start = ensureFloat64(this.start, slots);
    this.tag = ensureFloat64(this.tag, slots);
    this.remaining = ensureFloat64(this.remaining, slots);
    this.rate = ensureFloat64(this.rate, slots);
    this.updated = ensureFloat64(this.updated, slots);
  }
}
