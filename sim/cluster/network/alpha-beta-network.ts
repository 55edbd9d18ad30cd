/**
 * The α-β (latency-bandwidth, "Hockney") model: a message of S bytes over a route takes
 * latency(route) + S / min(bottleneck(route), rateCap), whatever else is on the network. No contention
 * is modelled, which makes it the fastest fidelity (one event per transfer) and exact on idle or
 * contention-free schedules; use `FlowNetwork` when links are shared.
 */
import type { EventHandler, Simulation } from "../../engine/simulation.ts";
import type { Network, NetworkStats, TransferListener, TransferRecord } from "./network.ts";
import type { Platform } from "./platform.ts";
import { checkTransfer } from "./transfer-checks.ts";
import { createNetworkStats, type NetworkOptions, ScratchRecord } from "./transfer-record.ts";
import { TransferSlots } from "./transfer-slots.ts";
import { ensureFloat64, ensureInt32 } from "./typed-growth.ts";

export class AlphaBetaNetwork implements Network, EventHandler {
  readonly platform: Platform;
  readonly stats: NetworkStats;
  /** Every completed transfer, in completion order, when `recordTransfers` is on; else stays empty. */
  readonly transfers: TransferRecord[] = [];
  private readonly sim: Simulation;
  private readonly doneKind: number;
  private readonly recordTransfers: boolean;
  private readonly slots = new TransferSlots();
  private readonly record = new ScratchRecord();
  // Per-slot fields of in-flight transfers.
  private src = new Int32Array(16);
  private dst = new Int32Array(16);
  /** Bumped when a slot's transfer ends or is cancelled: its pending event becomes stale. */
  private version = new Int32Array(16);
  private bytes = new Float64Array(16);
  private start = new Float64Array(16);
  private tag = new Float64Array(16);
  private listeners: (TransferListener | undefined)[] = [];

  constructor(sim: Simulation, platform: Platform, options: NetworkOptions = {}) {
    this.sim = sim;
    this.platform = platform;
    this.recordTransfers = options.recordTransfers ?? false;
    this.stats = createNetworkStats(platform.deviceCount, platform.linkCount);
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
    checkTransfer(this.platform.deviceCount, src, dst, bytes, rateCap);
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
    const slot = this.slots.acquire();
    this.ensureCapacity(this.slots.highWater);
    this.src[slot] = src;
    this.dst[slot] = dst;
    this.bytes[slot] = bytes;
    this.start[slot] = this.sim.now;
    this.tag[slot] = tag;
    this.listeners[slot] = listener;
    this.sim.after(latency + bytes / rate, this.doneKind, slot, this.version[slot]!);
    return this.slots.idOf(slot);
  }

  cancel(transferId: number): void {
    const slot = this.slots.slotOf(transferId);
    if (slot < 0 || this.listeners[slot] === undefined) return;
    this.free(slot);
  }

  handle(_kind: number, slot: number, version: number): void {
    if (this.version[slot] !== version) return; // cancelled
    const src = this.src[slot]!;
    const dst = this.dst[slot]!;
    const bytes = this.bytes[slot]!;
    const stats = this.stats;
    stats.bytesSent[src]! += bytes;
    stats.bytesReceived[dst]! += bytes;
    const route = this.platform.route(src, dst);
    for (let i = 0; i < route.length; i++) stats.linkBytes[route[i]!]! += bytes;
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
    this.version[slot] = (this.version[slot]! + 1) | 0;
    this.listeners[slot] = undefined;
    this.slots.release(slot);
  }

  private ensureCapacity(slots: number): void {
    if (slots <= this.src.length) return;
    this.src = ensureInt32(this.src, slots);
    this.dst = ensureInt32(this.dst, slots);
    this.version = ensureInt32(this.version, slots);
    this.bytes = ensureFloat64(this.bytes, slots);
    this.start = ensureFloat64(this.start, slots);
    this.tag = ensureFloat64(this.tag, slots);
  }
}
