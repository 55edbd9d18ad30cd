import { GraphPlatform } from "../../../cluster/network/graph-platform.ts";
import { requireConnected } from "../../../cluster/topology/connectivity.ts";
import { optional } from "../../fields.ts";
import type { StaticTopologySpec } from "../../types.ts";
import type { LayoutEntry } from "../layout-entry.ts";
import { buildStaticTopology, resolveStaticTopology, staticTopologyInput } from "../topology-kinds.ts";

export const graphLayout: LayoutEntry = {
  kind: "graph",
  summary: "cables along `topology`",
  // A getter: the cable graph takes every fixed topology registered when the schema is built.
  get fields() {
    return {
      topology: optional(
        staticTopologyInput().annotate({
          description:
            "The physical cable graph (layout graph only; any kind of cluster.topology but time-varying).",
        }),
      ),
    };
  },
  resolve: (input, context) => {
    const path = [...context.path, "topology"];
    if (input.topology === undefined) {
      context.problems.add(path, "the physical cable graph (required when layout is graph)");
      return { topology: { kind: "complete" } };
    }
    return { topology: resolveStaticTopology(input.topology as StaticTopologySpec, { ...context, path }) };
  },
  build: (spec, workers, streams, path) => {
    const at = `${path}.topology`;
    const graph = buildStaticTopology(
      spec.topology as StaticTopologySpec,
      workers,
      streams.stream("physical-topology"),
      at,
    );
    // Routes are searched lazily: an unreachable pair would otherwise surface mid-run, from a process.
    requireConnected(graph, at);
    const cable = { bandwidth: spec.bandwidth, latency: spec.latency };
    return new GraphPlatform({ graph, cable, duplex: spec.duplex }, path);
  },
};
