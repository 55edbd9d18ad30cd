/**
 * Collectives that finish without any transfer of their own (a group of one, the closed-form
 * algorithm) still finish from inside the event loop, at a given time, never synchronously inside
 * `startCollective`: callers can rely on the listener being called after `startCollective` returns.
 * One instance per simulation (one event kind), which also hands out collective ids.
 */
import type { EventHandler, Simulation } from "../../engine/simulation.ts";
import type { CollectiveRun } from "./collective-run.ts";

export class DeferredCompletions implements EventHandler {
  private readonly sim: Simulation;
  private readonly kind: number;
  private readonly pending = new Map<number, CollectiveRun>();
  private nextId = 0;

  constructor(sim: Simulation) {
    this.sim = sim;
    this.kind = sim.registerKind("collective.done", this);
  }

  newId(): number {
    return this.nextId++;
  }

  finishAt(run: CollectiveRun, time: number): void {
    this.pending.set(run.id, run);
    this.sim.at(time, this.kind, run.id, 0);
  }

  handle(_kind: number, id: number): void {
    const run = this.pending.get(id);
    if (run === undefined) return;
    this.pending.delete(id);
    run.finish();
  }
}

const perSimulation = new WeakMap<Simulation, DeferredCompletions>();

export function deferredCompletionsOf(sim: Simulation): DeferredCompletions {
  let deferred = perSimulation.get(sim);
  if (deferred === undefined) {
    deferred = new DeferredCompletions(sim);
    perSimulation.set(sim, deferred);
  }
  return deferred;
}
