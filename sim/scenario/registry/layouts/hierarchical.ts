import { HierarchicalPlatform } from "../../../cluster/network/hierarchical-platform.ts";
import { InputError } from "../../../errors.ts";
import { integer, optional, quantity } from "../../fields.ts";
import { parseQuantity } from "../../units.ts";
import type { LayoutEntry } from "../layout-entry.ts";

/**
 * What the hierarchical-only fields default to, written with units like the schema's own defaults.
 * `resolve` applies them: the schema cannot tell whether the layout asks for them.
 */
const defaults = { gpusPerNode: 8, intraBandwidth: "300 GB/s", intraLatency: "1 us" } as const;
const DEFAULT_INTRA_BANDWIDTH = parseQuantity("bandwidth", defaults.intraBandwidth, "intraBandwidth");
const DEFAULT_INTRA_LATENCY = parseQuantity("time", defaults.intraLatency, "intraLatency", {
  allowZero: true,
});

export const hierarchicalLayout: LayoutEntry = {
  kind: "hierarchical",
  summary: "nodes of gpusPerNode devices on a fast fabric, joined by a switch",
  fields: {
    gpusPerNode: optional(integer({ min: 1 }, { description: "Devices per node (hierarchical only)." }), {
      written: defaults.gpusPerNode,
    }),
    intraBandwidth: optional(
      quantity("bandwidth", { description: "Bandwidth inside a node, e.g. NVLink (hierarchical only)." }),
      { written: defaults.intraBandwidth },
    ),
    intraLatency: optional(
      quantity("time", { description: "Latency inside a node (hierarchical only)." }, { allowZero: true }),
      { written: defaults.intraLatency },
    ),
  },
  resolve: (input) => ({
    gpusPerNode: input.gpusPerNode ?? defaults.gpusPerNode,
    intraBandwidth: input.intraBandwidth ?? DEFAULT_INTRA_BANDWIDTH,
    intraLatency: input.intraLatency ?? DEFAULT_INTRA_LATENCY,
  }),
  build: (spec, workers, _, path) => {
    const gpusPerNode = spec.gpusPerNode as number;
    if (workers % gpusPerNode !== 0) {
      throw new InputError(`${path}.gpusPerNode`, gpusPerNode, `a divisor of cluster.workers (${workers})`);
    }
    return new HierarchicalPlatform(
      {
        nodes: workers / gpusPerNode,
        gpusPerNode,
        intraNode: { bandwidth: spec.intraBandwidth as number, latency: spec.intraLatency as number },
        // Each NIC link carries half of the one-way latency between nodes, as in the switch layout.
        interNode: { bandwidth: spec.bandwidth, latency: spec.latency / 2 },
        duplex: spec.duplex,
      },
      path,
    );
  },
};
