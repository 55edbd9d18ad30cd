import type { Device } from "../cluster/device.ts";
import type { ScheduleSpec } from "../scenario/types.ts";
import { CollectiveWorkload } from "../workloads/collectives.ts";
import type { Workload } from "../workloads/context.ts";
import { GossipTiming } from "../workloads/gossip-timing.ts";
import { P2pTraffic } from "../workloads/p2p.ts";

/** The built-in workload named by a scenario's `schedule.kind`. */
export function buildWorkload(spec: ScheduleSpec, devices: readonly Device[]): Workload {
  switch (spec.kind) {
    case "gossip-timing": {
      const compute = spec.compute;
      // Mean seconds per gradient on each device before its speed multiplier.
      const nominal = devices.map((d) =>
        compute.kind === "time" ? compute.seconds : compute.flops / (d.spec.peakFlops * d.spec.efficiency),
      );
      return new GossipTiming({ nominalComputeTime: nominal, rate: spec.rate, bytes: spec.bytes });
    }
    case "p2p":
      return new P2pTraffic({ transfers: spec.transfers, random: spec.random });
    case "allreduce":
      return new CollectiveWorkload(spec);
  }
}
