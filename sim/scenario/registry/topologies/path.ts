import { pathGraph } from "../../../cluster/topology/classic-graphs.ts";
import { defineTopology } from "../topology-entry.ts";

export const path = defineTopology({
  kind: "path",
  summary: "Worker i linked to i + 1; a ring without its closing link.",
  fields: {},
  build: (_, n, __, at) => pathGraph(n, at),
});
