import { starGraph } from "../../../cluster/topology/classic-graphs.ts";
import { defineTopology } from "../topology-entry.ts";

export const star = defineTopology({
  kind: "star",
  summary: "Worker 0 linked to every other worker.",
  fields: {},
  build: (_, n, __, path) => starGraph(n, path),
});
