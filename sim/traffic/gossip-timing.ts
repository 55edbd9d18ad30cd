import { finite, optional, quantity, withDefault } from "../scenario/fields.ts";
import { describeQuantity } from "../scenario/units.ts";
import { GossipTraffic } from "./gossip-traffic.ts";
import { defineTraffic } from "./traffic-entry.ts";

/** What one gradient costs: a mean time, or FLOPs divided by the device's effective FLOP rate. */
export type ComputeCost =
  | { readonly kind: "time"; readonly seconds: number }
  | { readonly kind: "flops"; readonly flops: number };

/**
 * Every worker computes gradients back to back and, on its own Poisson clock of rate
 * `rate / mean compute time`, sends `bytes` to a uniformly random neighbour in cluster.topology.
 */
export interface GossipTimingSpec {
  readonly compute: ComputeCost;
  /** Expected exchanges per gradient, per worker. */
  readonly rate: number;
  readonly bytes: number;
}

export const gossipTiming = defineTraffic({
  kind: "gossip-timing",
  summary: "Back-to-back computes and Poisson gossip exchanges, timing only.",
  description:
    "Every worker computes back to back and exchanges with a random neighbour of cluster.topology.",
  fields: {
    computeTime: optional(
      quantity("time", { description: "Mean duration of one gradient's compute. Give this or flops." }),
    ),
    flops: optional(
      quantity("flops", {
        description:
          "FLOPs per gradient, divided by peakFlops · efficiency · speed. Give this or computeTime.",
      }),
    ),
    rate: withDefault(
      finite(
        { above: 0 },
        {
          description:
            "Expected exchanges per gradient per worker: the gossip clock runs at rate / mean compute time.",
        },
      ),
      1,
    ),
    bytes: quantity("size", { description: "Size of each exchange." }, { allowZero: true }),
  },
  resolve: (input, { path, problems }): GossipTimingSpec => {
    const { computeTime, flops, rate, bytes } = input;
    if (computeTime !== undefined && flops !== undefined) {
      problems.add([...path, "flops"], "no flops when computeTime is given (give one of the two)");
    }
    if (computeTime === undefined && flops === undefined) {
      problems.add([...path, "computeTime"], `${describeQuantity("time")}, or schedule.flops instead`);
    }
    const compute: ComputeCost =
      flops !== undefined && computeTime === undefined
        ? { kind: "flops", flops }
        : { kind: "time", seconds: computeTime ?? 1 };
    return { compute, rate, bytes };
  },
  endless: () => "gossip-timing",
  build: (spec, devices) => {
    const { compute } = spec;
    // Mean seconds per gradient on each device before its speed multiplier.
    const nominal = devices.map((d) =>
      compute.kind === "time" ? compute.seconds : compute.flops / (d.spec.peakFlops * d.spec.efficiency),
    );
    return new GossipTraffic({ nominalComputeTime: nominal, rate: spec.rate, bytes: spec.bytes });
  },
});
