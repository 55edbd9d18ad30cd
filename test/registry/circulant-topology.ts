import { graphFromEdges } from "../../sim/cluster/topology/graph.ts";
import { integer, withDefault } from "../../sim/scenario/fields.ts";
import { defineTopology } from "../../sim/scenario/registry/topology-entry.ts";

/**
 * A topology that dtsim does not ship, written as a plug-in would write one: this file and nothing
 * else. Worker i is linked to i ± 1 and i ± stride (mod n): a ring with chords.
 */
export const circulant = defineTopology({
  kind: "circulant",
  summary: "Worker i linked to i ± 1 and i ± stride (mod n).",
  fields: {
    stride: withDefault(integer({ min: 2 }, { description: "The chords' length; < workers / 2." }), 2),
  },
  resolve: (input, { workers, path, problems }) => {
    if (2 * input.stride >= workers) problems.add([...path, "stride"], `an integer < ${workers} / 2`);
    return input;
  },
  build: (spec, n) => graphFromEdges(n, circulantEdges(n, spec.stride)),
});

/** The same graph as an edge list, each link once: what a `custom` topology would be given. */
export function circulantEdges(n: number, stride: number): Array<[number, number]> {
  const edges = new Set<string>();
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    for (const step of [1, stride]) {
      const j = (i + step) % n;
      const key = `${Math.min(i, j)}-${Math.max(i, j)}`;
      if (!edges.has(key)) {
        edges.add(key);
        out.push([i, j]);
      }
    }
  }
  return out;
}
