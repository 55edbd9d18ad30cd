import { hypercubeGraph } from "../../../cluster/topology/classic-graphs.ts";
import { defineTopology } from "../topology-entry.ts";

export const hypercube = defineTopology({
  kind: "hypercube",
  summary: "Workers whose ids differ in one bit are linked; workers must be a power of two.",
  fields: {},
  resolve: (input, { workers, path, problems }) => {
    if ((workers & (workers - 1)) !== 0) {
      problems.add(
        [...path, "kind"],
        `a kind that fits cluster.workers = ${workers} (a hypercube needs a power of two)`,
      );
    }
    return input;
  },
  build: (_, n, __, path) => hypercubeGraph(n, path),
});
