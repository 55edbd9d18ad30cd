import { runScenario } from "../sim/run.ts";
import { decodeScenario } from "../sim/scenario/decode.ts";

export interface GossipBenchResult {
  readonly eventsPerSecond: number;
  readonly events: number;
  readonly wallTime: number;
}

/**
 * The `gossip-timing` workload as the benchmark runs it: `workers` on a ring gossip graph behind one
 * switch at 10 Gb/s, exponential compute of 10 ms mean, one exchange of `bytes` (1 MB: 16 % NIC load;
 * 10 MB: 160 %, the README's overload case) per gradient.
 */
export function gossipScenario(
  workers: number,
  model: "alpha-beta" | "flow",
  simSeconds: number,
  bytes = "1 MB",
) {
  return decodeScenario({
    name: `gossip-timing-${workers}-${model}`,
    seed: 1,
    cluster: {
      workers,
      topology: { kind: "ring" },
      device: { duration: "exponential" },
      network: { model, layout: "switch", bandwidth: "10 Gb/s", latency: "5 us" },
    },
    schedule: { kind: "gossip-timing", computeTime: "10 ms", rate: 1, bytes },
    stop: { time: `${simSeconds} s` },
  });
}

/** Best of `runs` runs (the first warms the JIT up). */
export function gossipEventsPerSecond(
  workers: number,
  model: "alpha-beta" | "flow",
  simSeconds: number,
  runs = 3,
): GossipBenchResult {
  let best: GossipBenchResult = { eventsPerSecond: 0, events: 0, wallTime: 0 };
  for (let run = 0; run < runs; run++) {
    const result = runScenario(gossipScenario(workers, model, simSeconds));
    if (result.eventsPerSecond > best.eventsPerSecond) {
      best = { eventsPerSecond: result.eventsPerSecond, events: result.events, wallTime: result.wallTime };
    }
  }
  return best;
}
