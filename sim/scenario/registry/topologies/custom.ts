import { Schema } from "effect";
import { customGraph } from "../../../cluster/topology/custom-edges.ts";
import { integer } from "../../fields.ts";
import { workerIdExpected } from "../../resolve/problems.ts";
import { defineTopology } from "../topology-entry.ts";

const Edge = Schema.Tuple([
  integer({ min: 0 }, { description: "One end (a worker id)." }),
  integer({ min: 0 }, { description: "The other end (a worker id)." }),
]).annotate({
  description: "An undirected link [u, v] between two workers.",
  expected: "a pair [u, v] of worker ids",
});

export const custom = defineTopology({
  kind: "custom",
  summary: "Exactly the edges listed.",
  fields: {
    edges: Schema.Array(Edge).annotate({ description: "Undirected links, as [u, v] pairs of worker ids." }),
  },
  resolve: (input, { workers, path, problems }) => {
    input.edges.forEach(([u, v], i) => {
      if (u >= workers) problems.add([...path, "edges", i, 0], workerIdExpected(workers));
      if (v >= workers) problems.add([...path, "edges", i, 1], workerIdExpected(workers));
      if (u === v) problems.add([...path, "edges", i], "two different workers (no self-loops)");
    });
    return input;
  },
  build: (spec, n, _, path) => customGraph(n, spec.edges, path),
});
