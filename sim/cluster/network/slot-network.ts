/**
 * What every network model does with a transfer apart from timing it: check the request, give it a
 * recycled slot (and a unique id), keep its endpoints, size, start time, tag and listener in typed
 * arrays, and, when the model says it is over, account its bytes, hand the listener the one reused
 * record and free the slot. A model (α-β, max-min flows) extends this and only decides *when* a
 * transfer ends: it calls `open` in `transfer`, `finish` when the last byte arrives, and implements
 * `abort` for a cancelled transfer still in flight.
 */
import type { EventHandler, Simulation } from "../../engine/simulation.ts";
import type { Network, NetworkStats, TransferListener, TransferRecord } from "./network.ts";
import type { Platform } from "./platform.ts";
import { checkTransfer } from "./transfer-checks.ts";
import { createNetworkStats, type NetworkOptions, ScratchRecord } from "./transfer-record.ts";
import { TransferSlots } from "./transfer-slots.ts";
import { ensureFloat64, ensureInt32 } from "./typed-growth.ts";

export abstract class SlotNetwork implements Network, EventHandler {
  readonly platform: Platform;
  readonly stats: NetworkStats;
  /** Every completed transfer, in completion order, when `recordTransfers` is on; else stays empty. */
  readonly transfers: TransferRecord[] = [];
  protected readonly sim: Simulation;
  protected readonly slots = new TransferSlots();
  private readonly recordTransfers: boolean;
  private readonly record = new ScratchRecord();
  // Per-slot fields of in-flight transfers.
  protected src = new Int32Array(16);
  protected dst = new Int32Array(16);
  /** Bumped when a slot is freed, so that an event still pending for its old transfer is ignored. */
  protected version = new Int32Array(16);
  protected bytes = new Float64Array(16);
  private start = new Float64Array(16);
  private tag = new Float64Array(16);
  private listeners: (TransferListener | undefined)[] = [];

  constructor(sim: Simulation, platform: Platform, options: NetworkOptions) {
    this.sim = sim;
    this.platform = platform;
    this.recordTransfers = options.recordTransfers ?? false;
    this.stats = createNetworkStats(platform.deviceCount, platform.linkCount);
  }

  abstract transfer(
    src: number,
    dst: number,
    bytes: number,
    listener: TransferListener,
    tag?: number,
    rateCap?: number,
  ): number;

  abstract handle(kind: number, a: number, b: number): void;

  /** Stops the model's own work on a transfer in flight; the base then frees its slot. */
  protected abstract abort(slot: number): void;

  cancel(transferId: number): void {
    const slot = this.slots.slotOf(transferId);
    if (slot < 0 || this.listeners[slot] === undefined) return;
    this.abort(slot);
    this.free(slot);
  }

  /** Checks a transfer request and records it in a fresh slot, returned (its id is `slots.idOf`). */
  protected open(
    src: number,
    dst: number,
    bytes: number,
    listener: TransferListener,
    tag: number,
    rateCap: number,
  ): number {
    checkTransfer(this.platform.deviceCount, src, dst, bytes, rateCap);
    const slot = this.slots.acquire();
    if (this.slots.highWater > this.src.length) this.grow(this.slots.highWater);
    this.src[slot] = src;
    this.dst[slot] = dst;
    this.bytes[slot] = bytes;
    this.start[slot] = this.sim.now;
    this.tag[slot] = tag;
    this.listeners[slot] = listener;
    return slot;
  }

  /**
   * The transfer in `slot` is over now: accounts its bytes (on the links `links[from..to)`), frees its
   * slot, then calls its listener.
   */
  protected finish(slot: number, links: ArrayLike<number>, from: number, to: number): void {
    const src = this.src[slot]!;
    const dst = this.dst[slot]!;
    const bytes = this.bytes[slot]!;
    const stats = this.stats;
    stats.bytesSent[src]! += bytes;
    stats.bytesReceived[dst]! += bytes;
    for (let h = from; h < to; h++) stats.linkBytes[links[h]!]! += bytes;
    stats.completed++;
    const record = this.record;
    record.set(this.slots.idOf(slot), src, dst, bytes, this.start[slot]!, this.sim.now, this.tag[slot]!);
    if (this.recordTransfers) this.transfers.push(record.copy());
    const listener = this.listeners[slot]!;
    // Free before calling out: the listener may start transfers that reuse this slot.
    this.free(slot);
    listener.onTransferDone(record);
  }

  /** Frees a slot; a model that keeps more per slot releases it first (and calls this). */
  protected free(slot: number): void {
    this.version[slot] = (this.version[slot]! + 1) | 0;
    this.listeners[slot] = undefined;
    this.slots.release(slot);
  }

  /** Grows every per-slot array to hold `slots`; a model with arrays of its own extends this. */
  protected grow(slots: number): void {
    this.src = ensureInt32(this.src, slots);
    this.dst = ensureInt32(this.dst, slots);
    this.version = ensureInt32(this.version, slots);
    this.bytes = ensureFloat64(this.bytes, slots);
    this.start = ensureFloat64(this.start, slots);
    this.tag = ensureFloat64(this.tag, slots);
  }
}
