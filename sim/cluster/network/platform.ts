/**
 * The physical platform under the network models: directed links, each with a capacity (bytes/s) and a
 * latency (s), and a route (a list of link ids) for every ordered pair of devices. The models only see
 * this interface, so a new physical layout is a new `Platform`, not a change to either model.
 *
 * A "link" is a shared resource: in full duplex each direction of a cable is its own link; in half
 * duplex both directions map to the same link id, so traffic both ways shares one capacity.
 */
import type { Graph } from "../topology/graph.ts";
import { GraphPlatform } from "./graph-platform.ts";
import { HierarchicalPlatform } from "./hierarchical-platform.ts";
import type { Duplex, LinkClass } from "./link-class.ts";
import { SwitchPlatform } from "./switch-platform.ts";

export interface Platform {
  readonly deviceCount: number;
  readonly linkCount: number;
  /** Capacity of each link id, bytes per second. */
  readonly linkCapacity: Float64Array;
  /** Propagation latency of each link id, seconds. A route's latency is the sum over its links. */
  readonly linkLatency: Float64Array;
  /**
   * Link ids from `src` to `dst` (valid, distinct devices). The array may be a shared scratch buffer
   * or a cached route: read it before the next call and never modify it.
   */
  route(src: number, dst: number): Int32Array;
  /** A readable name for a link id ("uplink of device 3"), for reports and error messages. */
  describeLink(link: number): string;
}

export type PlatformSpec =
  /** Every device's NIC (uplink + downlink at `nic`) plugs into one non-blocking switch. */
  | { readonly kind: "switch"; readonly devices: number; readonly nic: LinkClass; readonly duplex?: Duplex }
  /**
   * Devices are the graph's vertices, each edge a cable; routes are BFS shortest paths. With `nic`,
   * a route also crosses the source's uplink and the destination's downlink.
   */
  | {
      readonly kind: "graph";
      readonly graph: Graph;
      readonly cable: LinkClass;
      readonly nic?: LinkClass;
      readonly duplex?: Duplex;
      /** Most routes kept in the per-pair cache before it is emptied (default 2^18). */
      readonly routeCacheLimit?: number;
    }
  /** nodes × gpusPerNode; GPUs of a node fully connected by `intraNode` links, nodes through a switch. */
  | {
      readonly kind: "hierarchical";
      readonly nodes: number;
      readonly gpusPerNode: number;
      readonly intraNode: LinkClass;
      readonly interNode: LinkClass;
      readonly duplex?: Duplex;
    };

/** Builds the platform described by `spec`; `path` prefixes the field names in input errors. */
export function buildPlatform(spec: PlatformSpec, path = "platform"): Platform {
  switch (spec.kind) {
    case "switch":
      return new SwitchPlatform(spec.devices, spec.nic, spec.duplex ?? "full", path);
    case "graph":
      return new GraphPlatform(spec, path);
    case "hierarchical":
      return new HierarchicalPlatform(spec, path);
  }
}
