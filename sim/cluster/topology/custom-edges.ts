import { InputError } from "../../errors.ts";
import { EdgeListBuilder, type Graph } from "./graph.ts";
import { checkEdgeBudget, checkWorkerCount } from "./input-checks.ts";

/**
 * A graph from a user's edge list `[[u, v], …]` of worker ids. Each entry is checked (pair of
 * integers in 0..n−1, no self-loop) and reported at its own path, e.g. `cluster.topology.edges[3][1]`.
 * Orientation does not matter and repeated edges are merged, since an undirected pair listed twice
 * still means one link.
 */
export function customGraph(n: number, edges: unknown, path = "topology"): Graph {
  checkWorkerCount(n, path);
  const field = `${path}.edges`;
  if (!Array.isArray(edges)) throw new InputError(field, edges, "a list of [u, v] worker pairs");
  checkEdgeBudget(edges.length, n, field);
  const builder = new EdgeListBuilder(n);
  edges.forEach((pair: unknown, e) => {
    const at = `${field}[${e}]`;
    if (!Array.isArray(pair) || pair.length !== 2)
      throw new InputError(at, pair, "a pair [u, v] of worker ids");
    const [u, v] = pair as unknown[];
    checkWorker(u, `${at}[0]`, n);
    checkWorker(v, `${at}[1]`, n);
    if (u === v) throw new InputError(at, pair, "two different workers (self-loops are not links)");
    builder.add(u as number, v as number);
  });
  return builder.build();
}

function checkWorker(value: unknown, path: string, n: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= n) {
    throw new InputError(path, value, `a worker id in 0..${n - 1}`);
  }
}
