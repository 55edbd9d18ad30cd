import type { Network } from "../cluster/network/network.ts";
import type { Platform } from "../cluster/network/platform.ts";
import type { RandomStreams, Simulation } from "../engine/index.ts";
import { layoutRegistry } from "../scenario/registry/layouts.ts";
import { networkModelRegistry } from "../scenario/registry/network-models.ts";
import type { NetworkSpec } from "../scenario/types.ts";

/** The physical platform of a scenario's `cluster.network` section, built by its layout's entry. */
export function buildPlatformFor(spec: NetworkSpec, workers: number, streams: RandomStreams): Platform {
  return layoutRegistry.get(spec.layout).build(spec, workers, streams, "cluster.network");
}

/** The network model the scenario names, over `platform`. */
export function buildNetwork(spec: NetworkSpec, sim: Simulation, platform: Platform): Network {
  return networkModelRegistry.get(spec.model).build(sim, platform);
}
