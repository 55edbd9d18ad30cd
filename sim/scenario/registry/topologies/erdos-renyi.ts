import { erdosRenyiGraph } from "../../../cluster/topology/erdos-renyi.ts";
import { finite } from "../../fields.ts";
import { defineTopology } from "../topology-entry.ts";

export const erdosRenyi = defineTopology({
  kind: "erdos-renyi",
  summary: "Each pair of workers linked independently with probability p.",
  fields: { p: finite({ above: 0, atMost: 1 }, { description: "Link probability." }) },
  build: (spec, n, rng, path) => erdosRenyiGraph(n, spec.p, rng, path),
});
