import fc from "fast-check";
import { Processes } from "../../sim/engine/process.ts";
import { Simulation } from "../../sim/engine/simulation.ts";
import { Timers } from "../../sim/engine/timers.ts";

/** What the process and coordination tests share. */

/** A simulation with timers and processes, counting dispatched resumptions per process id. */
export function setup() {
  const sim = new Simulation(2);
  const timers = new Timers(sim);
  const procs = new Processes(sim);
  const resumes = new Map<number, number>();
  let timerEvents = 0;
  sim.observe((_time, kind, a) => {
    const name = sim.kindName(kind);
    if (name === "resume") resumes.set(a, (resumes.get(a) ?? 0) + 1);
    else if (name === "timer") timerEvents++;
  });
  return {
    sim,
    timers,
    procs,
    /** Resume events dispatched for process id `id` (stale ones included). */
    resumesOf: (id: number) => resumes.get(id) ?? 0,
    timerEvents: () => timerEvents,
  };
}

/** Small values with many ties: the interesting interleavings happen at equal times. */
export const tickArb = fc.constantFrom(0, 0, 0.5, 1, 1, 1.5, 2, 3);
