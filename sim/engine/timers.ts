import type { EventHandler, Simulation } from "./simulation.ts";

/** Receives a timer firing. An interface rather than a closure so that hot callers allocate nothing. */
export interface TimerTarget {
  onTimer(token: number): void;
}

/**
 * Timers that call an object back at a simulated time: a slot table (with a free list) maps the
 * event's integer payload to the target, and a per-slot generation makes `cancel` O(1) — the stale
 * event still pops, sees an old generation and is dropped.
 */
export class Timers implements EventHandler {
  private readonly sim: Simulation;
  private readonly kind: number;
  private targets: (TimerTarget | undefined)[] = [];
  private tokens: number[] = [];
  private generations: number[] = [];
  private freeSlots: number[] = [];

  constructor(sim: Simulation) {
    this.sim = sim;
    this.kind = sim.registerKind("timer", this);
  }

  /** Calls `target.onTimer(token)` at absolute time `time`. Returns a handle for `cancel`. */
  at(time: number, target: TimerTarget, token = 0): number {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.targets.length;
    if (slot === this.targets.length) this.generations.push(0);
    this.targets[slot] = target;
    this.tokens[slot] = token;
    const generation = this.generations[slot]!;
    this.sim.at(time, this.kind, slot, generation);
    // A handle packs slot and generation so a handle kept after firing cannot cancel a reused slot.
    return slot * 0x100000 + (generation & 0xfffff);
  }

  after(delay: number, target: TimerTarget, token = 0): number {
    return this.at(this.sim.now + delay, target, token);
  }

  cancel(handle: number): void {
    const slot = Math.floor(handle / 0x100000);
    if ((this.generations[slot]! & 0xfffff) !== handle % 0x100000 || this.targets[slot] === undefined) return;
    this.release(slot);
  }

  handle(_kind: number, slot: number, generation: number): void {
    if (this.generations[slot] !== generation) return;
    const target = this.targets[slot]!;
    const token = this.tokens[slot]!;
    this.release(slot);
    target.onTimer(token);
  }

  private release(slot: number): void {
    this.targets[slot] = undefined;
    this.generations[slot] = (this.generations[slot]! + 1) | 0;
    this.freeSlots.push(slot);
  }
}
