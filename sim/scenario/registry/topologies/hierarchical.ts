import { hierarchicalGraph } from "../../../cluster/topology/hierarchical.ts";
import { integer, oneOf, withDefault } from "../../fields.ts";
import { defineTopology } from "../topology-entry.ts";

export const hierarchical = defineTopology({
  kind: "hierarchical",
  summary: "Nodes of gpusPerNode consecutive workers, complete inside; nodes joined by interNode.",
  fields: {
    gpusPerNode: withDefault(integer({ min: 1 }, { description: "Workers per node." }), 8),
    interNode: withDefault(
      oneOf(["ring", "complete"], { description: "How nodes are joined (by their first workers)." }),
      "ring",
    ),
  },
  // A hand-written spec may leave interNode out: the generator's default, as the schema's.
  build: (spec, n, _, path) => hierarchicalGraph(n, spec.gpusPerNode, spec.interNode ?? "ring", path),
});
