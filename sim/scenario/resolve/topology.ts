import type { StaticTopologyInput, TopologyInput } from "../input/topology.ts";
import type { StaticTopologySpec, TopologySpec } from "../types.ts";
import { type Path, type Problems, workerIdExpected } from "./problems.ts";

/**
 * The rules that tie a topology to the worker count and need no graph built: torus dimensions (filled
 * in when left out), hypercube sizes, regular degrees, custom edge endpoints. Problems that only show
 * once the graph exists (a disconnected random graph) are the topology builders' to report.
 */
export function resolveTopology(
  input: TopologyInput,
  workers: number,
  path: Path,
  problems: Problems,
): TopologySpec {
  if (input.kind !== "time-varying") return resolveStaticTopology(input, workers, path, problems);
  return {
    kind: "time-varying",
    graphs: input.graphs.map((graph, i) =>
      resolveStaticTopology(graph, workers, [...path, "graphs", i], problems),
    ),
    period: input.period,
  };
}

export function resolveStaticTopology(
  input: StaticTopologyInput,
  workers: number,
  path: Path,
  problems: Problems,
): StaticTopologySpec {
  switch (input.kind) {
    case "torus":
      return { kind: "torus", ...torusShape(input.rows, input.cols, workers, path, problems) };
    case "hypercube":
      if ((workers & (workers - 1)) !== 0) {
        problems.add(
          [...path, "kind"],
          `a kind that fits cluster.workers = ${workers} (a hypercube needs a power of two)`,
        );
      }
      return input;
    case "random-regular":
      if (input.degree >= workers) {
        problems.add([...path, "degree"], `an integer < cluster.workers (${workers})`);
      } else if ((input.degree * workers) % 2 !== 0) {
        problems.add(
          [...path, "degree"],
          `an even degree (cluster.workers = ${workers} is odd, and degree · workers must be even)`,
        );
      }
      return input;
    case "custom":
      input.edges.forEach(([u, v], i) => {
        if (u >= workers) problems.add([...path, "edges", i, 0], workerIdExpected(workers));
        if (v >= workers) problems.add([...path, "edges", i, 1], workerIdExpected(workers));
        if (u === v) problems.add([...path, "edges", i], "two different workers (no self-loops)");
      });
      return input;
    default:
      return input;
  }
}

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
