import { randomGeometricGraph } from "../../../cluster/topology/random-geometric.ts";
import { finite } from "../../fields.ts";
import { defineTopology } from "../topology-entry.ts";

export const randomGeometric = defineTopology({
  kind: "random-geometric",
  summary: "Workers placed uniformly in the unit square, linked when closer than radius.",
  fields: {
    radius: finite({ above: 0 }, { description: "Link distance, in units of the square's side." }),
  },
  build: (spec, n, rng, path) => randomGeometricGraph(n, spec.radius, rng, path),
});
