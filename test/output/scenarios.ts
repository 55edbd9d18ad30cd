import { decodeScenario } from "../../sim/scenario/decode.ts";
import type { Scenario } from "../../sim/scenario/types.ts";

/** Small runs of each kind the outputs must handle, built like the YAML files are. */

/** Asynchronous gossip timing: back-to-back computes, overlapping 1 MB exchanges. */
export function gossipTiming(model: "alpha-beta" | "flow" = "alpha-beta", time = "0.5 s"): Scenario {
  return decodeScenario({
    name: `gossip-${model}`,
    seed: 3,
    cluster: {
      workers: 8,
      topology: { kind: "ring" },
      device: { duration: "exponential" },
      network: { model, layout: "switch", bandwidth: "10 Gb/s", latency: "5 us" },
    },
    schedule: { kind: "gossip-timing", computeTime: "10 ms", rate: 1.5, bytes: "1 MB" },
    stop: { time },
  });
}

/** Ring all-reduces with gaps between them (so workers are idle too). */
export function allreduce(): Scenario {
  return decodeScenario({
    name: "allreduce",
    seed: 1,
    cluster: {
      workers: 8,
      network: { model: "alpha-beta", layout: "switch", bandwidth: "100 Gb/s", latency: "5 us" },
    },
    schedule: {
      kind: "allreduce",
      count: 4,
      bytes: "100 MB",
      collective: "all-reduce",
      algorithm: "ring",
      gap: "3 ms",
    },
  });
}

/** Synchronous data-parallel training with numbers (a series), heterogeneous speeds, flow network. */
export function training(): Scenario {
  return decodeScenario({
    name: "training",
    seed: 7,
    cluster: {
      workers: 3,
      device: { peakFlops: "4 MFLOP/s", efficiency: 1, duration: "exponential" },
      devices: [
        { worker: 0, speed: 1 },
        { worker: 1, speed: 0.5 },
        { worker: 2, speed: 0.8 },
      ],
      network: { model: "flow", bandwidth: "10 Gb/s", latency: "2 us" },
    },
    problem: { kind: "least-squares", dimension: 10, samplesPerWorker: 40, batchSize: 10 },
    schedule: { kind: "allreduce-sgd", accumulation: 1, optimizer: { kind: "sgd", lr: 0.02, momentum: 0.5 } },
    stop: { time: 0.1 },
  });
}
