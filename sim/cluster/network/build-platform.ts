/**
 * One entry point to the three physical layouts, for callers that describe a platform as data (tests,
 * the scenario's layout registry builds the classes directly).
 */
import type { Graph } from "../topology/graph.ts";
import { GraphPlatform } from "./graph-platform.ts";
import { HierarchicalPlatform } from "./hierarchical-platform.ts";
import type { Duplex, LinkClass } from "./link-class.ts";
import type { Platform } from "./platform.ts";
import { SwitchPlatform } from "./switch-platform.ts";

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
