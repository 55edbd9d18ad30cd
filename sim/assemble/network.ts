import { AlphaBetaNetwork } from "../cluster/network/alpha-beta-network.ts";
import { buildPlatform, type PlatformSpec } from "../cluster/network/build-platform.ts";
import { FlowNetwork } from "../cluster/network/flow-network.ts";
import type { Network } from "../cluster/network/network.ts";
import type { Platform } from "../cluster/network/platform.ts";
import { requireConnected } from "../cluster/topology/connectivity.ts";
import type { RandomStreams, Simulation } from "../engine/index.ts";
import { InputError } from "../errors.ts";
import { buildTopology } from "../scenario/registry/topology-kinds.ts";
import type { NetworkSpec } from "../scenario/types.ts";

/** The physical platform of a scenario's `cluster.network` section. */
export function buildPlatformFor(spec: NetworkSpec, workers: number, streams: RandomStreams): Platform {
  const path = "cluster.network";
  const link = { bandwidth: spec.bandwidth, latency: spec.latency };
  let platform: PlatformSpec;
  switch (spec.layout) {
    case "switch":
      // A message crosses two NIC links (uplink, downlink); `latency` is the one-way latency between
      // two devices, so each NIC link carries half of it.
      platform = {
        kind: "switch",
        devices: workers,
        nic: { ...link, latency: spec.latency / 2 },
        duplex: spec.duplex,
      };
      break;
    case "graph": {
      const graph = buildTopology(
        spec.topology,
        workers,
        streams.stream("physical-topology"),
        `${path}.topology`,
      );
      if (!("edgeU" in graph)) throw new Error("a physical topology cannot vary in time");
      // Routes are searched lazily: an unreachable pair would otherwise surface mid-run, from a process.
      requireConnected(graph, `${path}.topology`);
      platform = { kind: "graph", graph, cable: link, duplex: spec.duplex };
      break;
    }
    case "hierarchical":
      if (workers % spec.gpusPerNode !== 0) {
        throw new InputError(
          `${path}.gpusPerNode`,
          spec.gpusPerNode,
          `a divisor of cluster.workers (${workers})`,
        );
      }
      platform = {
        kind: "hierarchical",
        nodes: workers / spec.gpusPerNode,
        gpusPerNode: spec.gpusPerNode,
        intraNode: { bandwidth: spec.intraBandwidth, latency: spec.intraLatency },
        interNode: { ...link, latency: spec.latency / 2 },
        duplex: spec.duplex,
      };
      break;
  }
  return buildPlatform(platform, path);
}

export function buildNetwork(spec: NetworkSpec, sim: Simulation, platform: Platform): Network {
  return spec.model === "flow" ? new FlowNetwork(sim, platform) : new AlphaBetaNetwork(sim, platform);
}
