import { ringGraph } from "../../../cluster/topology/classic-graphs.ts";
import { defineTopology } from "../topology-entry.ts";

export const ring = defineTopology({
  kind: "ring",
  summary: "Each worker linked to its two neighbours i ± 1 (mod n).",
  fields: {},
  build: (_, n, __, path) => ringGraph(n, path),
});
