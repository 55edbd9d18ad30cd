import { Bench } from "tinybench";
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

const BATCH = 100_000;

/**
 * The classic hold model: a queue holding `pending` events; each step pops the earliest and pushes it
 * back later by an Exp(1) increment. Measured with tinybench, one sample being a batch of 100 000
 * steps on a queue that persists across samples (so its size stays `pending`). Returns mean events/s
 * and tinybench's relative margin of error.
 */
export async function holdEventsPerSecond(
  pending: number,
  seconds = 1.5,
): Promise<{ value: number; rme: number }> {
  const increments = exponentialIncrements();
  const queue = new EventQueue(pending + 1);
  for (let i = 0; i < pending; i++) queue.push(increments[i & (INCREMENTS - 1)]!, 0, i, 0);
  let step = 0;
  const bench = new Bench({ time: seconds * 1000, warmupTime: 200 });
  bench.add(`hold-${pending}`, () => {
    for (let i = 0; i < BATCH; i++, step++) {
      queue.pop();
      queue.push(queue.topTime + increments[step & (INCREMENTS - 1)]!, queue.topKind, queue.topA, queue.topB);
    }
  });
  await bench.run();
  const latency = bench.tasks[0]?.result;
  if (latency === undefined || !("latency" in latency))
    throw new Error(`hold-${pending}: tinybench gave no result`);
  return { value: (BATCH * 1000) / latency.latency.mean, rme: latency.latency.rme };
}
