import { exponentialGraph } from "../../../cluster/topology/exponential-graph.ts";
import { defineTopology } from "../topology-entry.ts";

export const exponential = defineTopology({
  kind: "exponential",
  summary: "Worker i linked to i ± 2^k (mod n) for every k.",
  fields: {},
  build: (_, n, __, path) => exponentialGraph(n, path),
});
