/**
 * Flow-level network model with max-min fair bandwidth sharing (the model SimGrid validated against
 * packet-level simulation for large messages). A transfer first waits the latency of its route, then
 * becomes a flow that crosses every link of the route; the rates of all active flows are the max-min
 * fair allocation of link capacities (optionally under a per-flow cap), recomputed when a flow starts
 * or ends.
 *
 * Incremental bookkeeping, so that an event costs the size of what it touches rather than of the
 * whole network:
 * - only the connected component of flows sharing links with the changed flow is re-solved
 *   (`FlowComponent` + `MaxMinSolver`); flows elsewhere keep their rates and completion times;
 * - the solver sees classes of flows (same route, no cap: `FlowClasses`), one entry per class weighted
 *   by its size, with the same rates bit for bit as one entry per flow; an overloaded switch's backlog
 *   of thousands of flows is a few hundred classes;
 * - before a flow's rate changes, its progress at the old rate is accounted up to now, so remaining
 *   bytes stay exact across any number of changes;
 * - completion times live in the network's own indexed heap (`CompletionHeap`), updated in place when
 *   a rate changes; the engine holds one wake-up event per network, for the earliest completion, and
 *   gets a new one only when that one would come too late (or has fired). Nothing stale piles up in
 *   the engine however often rates change, so memory is O(active flows) even when the offered load
 *   exceeds capacity and flows accumulate;
 * - all per-flow state lives in typed arrays indexed by recycled slots.
 *
 * Order at one instant. Equal completion times leave the heap in the order they were set, which is
 * the order the engine gave the events of the scheme this replaced (one per rate change, superseded
 * ones skipped). A wake-up completes in one go every flow due at that instant whose time was set before
 * it fired (and, if another event was already waiting at that instant, before it was scheduled), so
 * flows due together complete back to back, ahead of whatever their listeners schedule for that
 * instant, as before. One case a single engine event cannot reproduce: when the earliest completion
 * moves later (the flow due first ended, was cancelled or slowed down), the wake-up for the new earliest
 * is scheduled only then, or when the early one fires, not when that flow's time was set; an unrelated
 * event scheduled in between for the very same instant (equal to the last bit, which takes round sizes,
 * rates and latencies) now runs before that completion rather than after. Doing better needs the
 * engine to let an event take a sequence number reserved earlier.
 */
import { SchedulingError, type Simulation } from "../../engine/simulation.ts";
import { InputError } from "../../errors.ts";
import { CompletionHeap } from "./completion-heap.ts";
import { FlowClasses } from "./flow-classes.ts";
import { FlowComponent } from "./flow-component.ts";
import { FlowHops } from "./flow-hops.ts";
import { MaxMinSolver } from "./maxmin.ts";
import type { TransferListener } from "./network.ts";
import type { Platform } from "./platform.ts";
import { SlotNetwork } from "./slot-network.ts";
import type { NetworkOptions } from "./transfer-record.ts";
import { ensureFloat64, ensureInt32, ensureUint8 } from "./typed-growth.ts";

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

export class FlowNetwork extends SlotNetwork {
  /** Flows currently competing for bandwidth. */
  activeCount = 0;
  private readonly startKind: number;
  private readonly doneKind: number;
  private readonly defaultCap: number;
  /** Each transfer's own copy of its route (for its latency and its bytes per link). */
  private readonly hops: FlowHops;
  /** Active flows by class (same route, no cap): what links carry, and what the solver sees. */
  private readonly classes: FlowClasses;
  private readonly component: FlowComponent;
  private readonly solver = new MaxMinSolver();
  /** Completion time of every active flow, keyed by slot. */
  private readonly completions = new CompletionHeap();
  /** Whether a `doneKind` wake-up is pending in the engine, and its time, payload version and the
   * heap sequence when it was scheduled (flows keyed before that were due no later than it). */
  private wakeLive = false;
  private wakeTime = 0;
  private wakeVersion = 0;
  private wakeSequence = 0;
  private wakeUps = 0;
  /** While a wake-up is being handled: the rule for which flows due now complete in it (`inBatch`). */
  private draining = false;
  private drainEntrySequence = 0;
  private drainWakeSequence = 0;
  private drainOthersNow = false;
  // Per-slot fields.
  private hopStart = new Int32Array(16);
  private hopCount = new Int32Array(16);
  private cap = new Float64Array(16);
  private phase = new Uint8Array(16);
  /** Bytes left as of `updated`; exact while the rate is constant. */
  private remaining = new Float64Array(16);
  private rate = new Float64Array(16);
  private updated = new Float64Array(16);
  /** The instant of the re-solve whose rates `applyRate` is applying. */
  private resolvedAt = 0;

  constructor(sim: Simulation, platform: Platform, options: FlowNetworkOptions = {}) {
    super(sim, platform, options);
    this.defaultCap = options.flowRateCap ?? Number.POSITIVE_INFINITY;
    if (!(this.defaultCap > 0)) {
      throw new InputError("network.flowRateCap", this.defaultCap, "a positive number of bytes per second");
    }
    this.hops = new FlowHops(platform.linkCount);
    this.classes = new FlowClasses(platform.linkCount);
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
    const slot = this.open(src, dst, bytes, listener, tag, rateCap);
    const platform = this.platform;
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
    this.sim.after(latency, this.startKind, slot, this.version[slot]!);
    return this.slots.idOf(slot);
  }

  /** A cancelled flow leaves its links to the others at once; one still waiting out its latency only
   * has its start event ignored (its slot's version moves on). */
  protected abort(slot: number): void {
    if (this.phase[slot] !== ACTIVE) return;
    this.completions.remove(slot);
    this.detach(slot);
    this.resolveAround(slot);
    this.wake();
  }

  handle(kind: number, a: number, version: number): void {
    if (kind === this.startKind) {
      if (this.version[a] === version) this.activate(a); // else cancelled while waiting
      return;
    }
    this.wakeUps--;
    if (this.wakeLive && version === this.wakeVersion) {
      this.wakeLive = false;
      this.drain();
    } // else a wake-up superseded by an earlier one
  }

  /**
   * Completion wake-ups of this network now in the engine's queue: the live one, plus any superseded
   * by an earlier one and not yet reached (a transfer's latency events are not counted).
   */
  get pendingWakeUps(): number {
    return this.wakeUps;
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
      this.done(slot);
      return;
    }
    this.phase[slot] = ACTIVE;
    this.activeCount++;
    this.remaining[slot] = this.bytes[slot]!;
    this.rate[slot] = 0;
    this.updated[slot] = this.sim.now;
    this.classes.join(slot, this.hops.link, this.hopStart[slot]!, this.hopCount[slot]!, this.cap[slot]!);
    this.resolveAround(slot);
    this.wake();
  }

  /**
   * A wake-up fired: completes, in heap order, the flows due now that belong to this instant's batch
   * (`inBatch`), then makes sure a wake-up is pending for the next completion.
   */
  private drain(): void {
    this.drainEntrySequence = this.completions.sequence;
    this.drainWakeSequence = this.wakeSequence;
    // Another event already waiting at this instant was scheduled after this wake-up.
    this.drainOthersNow = this.sim.nextEventTime() === this.sim.now;
    this.draining = true;
    try {
      for (;;) {
        const slot = this.completions.min;
        if (slot < 0 || !this.inBatch(slot)) break;
        this.complete(slot);
      }
    } finally {
      this.draining = false;
    }
    this.wake();
  }

  /**
   * Whether the flow in `slot` completes within the wake-up being handled: it is due now, its time was
   * set before the wake-up fired (one set since goes after whatever was scheduled in between), and
   * either before the wake-up was scheduled or with no other event waiting at this instant (those
   * waiting were scheduled after the wake-up, maybe before this flow's time was set).
   */
  private inBatch(slot: number): boolean {
    const completions = this.completions;
    if (completions.timeOf(slot) !== this.sim.now) return false;
    const sequence = completions.sequenceOf(slot);
    return sequence < this.drainEntrySequence && (sequence < this.drainWakeSequence || !this.drainOthersNow);
  }

  /**
   * Schedules a wake-up for the earliest completion unless one already pending comes no later (it will
   * find nothing due, and schedule the next), or the wake-up being handled will complete that flow.
   */
  private wake(): void {
    const slot = this.completions.min;
    if (slot < 0) return;
    const time = this.completions.timeOf(slot);
    if (this.wakeLive && this.wakeTime <= time) return;
    if (this.draining && this.inBatch(slot)) return;
    const version = (this.wakeVersion + 1) | 0;
    this.wakeVersion = version;
    this.wakeLive = true;
    this.wakeTime = time;
    this.wakeSequence = this.completions.sequence;
    this.wakeUps++;
    this.sim.at(time, this.doneKind, slot, version);
  }

  /** The last byte has arrived: free its links for the others, then tell the listener. */
  private complete(slot: number): void {
    this.completions.remove(slot);
    this.detach(slot);
    this.resolveAround(slot);
    // Before the listener runs: a flow now due first gets its wake-up ahead of what the listener
    // schedules, as its own completion event would have been.
    this.wake();
    this.done(slot);
  }

  private detach(slot: number): void {
    this.classes.leave(slot);
    this.phase[slot] = WAITING;
    this.activeCount--;
  }

  /**
   * Re-solves the component around `slot`'s links: accounts every member's progress at its old rate,
   * computes the new max-min rates, and moves the completion of each flow whose rate changed (the
   * caller then calls `wake`).
   */
  private resolveAround(slot: number): void {
    const component = this.component;
    const classes = this.classes;
    component.gather(
      classes,
      this.hops.link,
      this.hopStart[slot]!,
      this.hopCount[slot]!,
      this.platform.linkCapacity,
    );
    const count = component.classCount;
    if (count === 0) return;
    this.solver.solve(
      component.linkCount,
      component.capacity,
      count,
      component.routeStart,
      component.routeLinks,
      component.caps,
      component.rates,
      component.counts,
    );
    this.resolvedAt = this.sim.now;
    component.forEachFlow(classes, this.applyRate);
  }

  /**
   * For each flow of the component just solved, in the order that a per-flow search meets them
   * (completion times set together keep that order on ties): accounts its progress at its old rate,
   * and moves its completion if its rate changed.
   */
  private readonly applyRate = (f: number, entry: number): void => {
    const now = this.resolvedAt;
    const remaining = this.remaining;
    const rate = this.rate;
    const elapsed = now - this.updated[f]!;
    if (elapsed > 0) {
      remaining[f] = Math.max(remaining[f]! - rate[f]! * elapsed, 0);
      this.updated[f] = now;
    }
    const r = this.component.rates[entry]!;
    if (r === rate[f]) return; // unchanged: its completion time still holds
    rate[f] = r;
    const time = now + remaining[f]! / r;
    // What the engine would refuse (NaN) must not enter the heap, where it would break the order.
    if (!(time >= now)) throw new SchedulingError(`flow completion at t=${time} (now ${now}, rate ${r})`);
    this.completions.set(f, time);
  };

  /** Accounts the finished transfer on its route's links, frees its slot, then calls its listener. */
  private done(slot: number): void {
    const first = this.hopStart[slot]!;
    this.finish(slot, this.hops.link, first, first + this.hopCount[slot]!);
  }

  protected override free(slot: number): void {
    this.hops.release(this.hopStart[slot]!, this.hopCount[slot]!);
    this.phase[slot] = FREE;
    super.free(slot);
  }

  protected override grow(slots: number): void {
    super.grow(slots);
    this.hopStart = ensureInt32(this.hopStart, slots);
    this.hopCount = ensureInt32(this.hopCount, slots);
    this.cap = ensureFloat64(this.cap, slots);
    this.phase = ensureUint8(this.phase, slots);
    this.remaining = ensureFloat64(this.remaining, slots);
    this.rate = ensureFloat64(this.rate, slots);
    this.updated = ensureFloat64(this.updated, slots);
  }
}
