import { torusGraph } from "../../../cluster/topology/torus.ts";
import { integer, optional } from "../../fields.ts";
import type { Path, Problems } from "../../resolve/problems.ts";
import { defineTopology } from "../topology-entry.ts";

export const torus = defineTopology({
  kind: "torus",
  summary: "A rows × cols grid with wrap-around links.",
  fields: {
    rows: optional(integer({ min: 1 }, { description: "Rows; rows · cols = workers." }), {
      words: "the most square factorisation",
    }),
    cols: optional(integer({ min: 1 }, { description: "Columns; rows · cols = workers." }), {
      words: "workers / rows",
    }),
  },
  resolve: (input, { workers, path, problems }) => ({
    kind: input.kind,
    ...torusShape(input.rows, input.cols, workers, path, problems),
  }),
  build: (spec, n, _, path) => {
    // `exactOptionalPropertyTypes` keeps an undefined field apart from an absent one.
    const shape = {
      ...(spec.rows === undefined ? {} : { rows: spec.rows }),
      ...(spec.cols === undefined ? {} : { cols: spec.cols }),
    };
    return torusGraph(n, shape, path);
  },
});

/** Rows and columns with rows · cols = workers; what is left out is filled in, most square first. */
function torusShape(
  rows: number | undefined,
  cols: number | undefined,
  workers: number,
  path: Path,
  problems: Problems,
): { rows: number; cols: number } {
  if (rows !== undefined && cols !== undefined) {
    if (workers % rows !== 0) problems.add([...path, "rows"], `a divisor of cluster.workers (${workers})`);
    else if (rows * cols !== workers) {
      problems.add(
        [...path, "cols"],
        `${workers / rows} (rows · cols must equal cluster.workers, ${workers})`,
      );
    }
    return { rows, cols };
  }
  if (rows !== undefined || cols !== undefined) {
    const given = (rows ?? cols)!;
    if (workers % given !== 0) {
      problems.add(
        [...path, rows !== undefined ? "rows" : "cols"],
        `a divisor of cluster.workers (${workers})`,
      );
    }
    const other = Math.max(1, Math.floor(workers / given));
    return rows !== undefined ? { rows, cols: other } : { rows: other, cols: given };
  }
  let best = 1;
  for (let r = 1; r * r <= workers; r++) if (workers % r === 0) best = r;
  return { rows: best, cols: workers / best };
}
