import { completeGraph } from "../../../cluster/topology/classic-graphs.ts";
import { defineTopology } from "../topology-entry.ts";

export const complete = defineTopology({
  kind: "complete",
  summary: "Every pair of workers linked.",
  fields: {},
  build: (_, n, __, path) => completeGraph(n, path),
});
