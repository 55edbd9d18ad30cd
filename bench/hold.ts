import { EventQueue } from "../sim/engine/event-queue.ts";

const INCREMENTS = 1 << 16;

/** Exp(1) increments, precomputed so that the benchmark measures the queue and nothing else. */
function exponentialIncrements(): Float64Array {
  const increments = new Float64Array(INCREMENTS);
  let s = 0x2545f491;
  for (let i = 0; i < INCREMENTS; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    increments[i] = -Math.log(1 - (s >>> 0) / 4294967296);
  }
  return increments;
}

/**
 * The classic hold model: a queue holding `pending` events; each step pops the earliest and pushes it
 * back later by an Exp(1) increment. Returns events per second, best of `runs` runs of `events` steps.
 */
export function holdEventsPerSecond(pending: number, events: number, runs = 3): number {
  const increments = exponentialIncrements();
  let best = 0;
  for (let run = 0; run < runs; run++) {
    const queue = new EventQueue(pending + 1);
    for (let i = 0; i < pending; i++) queue.push(increments[i & (INCREMENTS - 1)]!, 0, i, 0);
    const t0 = performance.now();
    for (let i = 0; i < events; i++) {
      queue.pop();
      queue.push(queue.topTime + increments[i & (INCREMENTS - 1)]!, queue.topKind, queue.topA, queue.topB);
    }
    const seconds = (performance.now() - t0) / 1000;
    best = Math.max(best, events / seconds);
  }
  return best;
}
