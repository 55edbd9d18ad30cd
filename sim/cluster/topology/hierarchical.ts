import { InputError } from "../../errors.ts";
import { EdgeListBuilder, type Graph } from "./graph.ts";
import { checkEdgeBudget, checkInteger, checkWorkerCount } from "./input-checks.ts";

export type InterNodeLayout = "ring" | "complete";

export const INTER_NODE_LAYOUTS: readonly InterNodeLayout[] = ["ring", "complete"];

/**
 * Nodes × GPUs: workers k·g … k·g + g − 1 form node k (g = gpusPerNode) and are all linked to each
 * other (NVLink-style); between nodes, only the first GPU of each node (its "leader", worker k·g)
 * takes part, in a ring of leaders by default or a complete graph of leaders. The ring is the
 * default because it keeps a leader's inter-node degree at 2 whatever the node count, like the one
 * NIC per node it models, and matches the ring all-reduce used between nodes; ask for "complete" to
 * model a full-bisection switch where any two leaders may exchange.
 */
export function hierarchicalGraph(
  n: number,
  gpusPerNode: number,
  interNode: InterNodeLayout = "ring",
  path = "topology",
): Graph {
  checkWorkerCount(n, path);
  const g = checkInteger(gpusPerNode, `${path}.gpusPerNode`, 1, n);
  if (n % g !== 0) {
    throw new InputError(`${path}.gpusPerNode`, g, `a divisor of ${n} (the number of workers)`);
  }
  if (!INTER_NODE_LAYOUTS.includes(interNode)) {
    throw new InputError(
      `${path}.interNode`,
      interNode,
      `one of ${INTER_NODE_LAYOUTS.map((s) => `"${s}"`).join(", ")}`,
    );
  }
  const nodes = n / g;
  const interEdges = interNode === "ring" ? nodes : (nodes * (nodes - 1)) / 2;
  checkEdgeBudget((nodes * g * (g - 1)) / 2 + interEdges, n, path);

  const builder = new EdgeListBuilder(n);
  for (let k = 0; k < nodes; k++) {
    const first = k * g;
    for (let a = 0; a < g; a++) for (let b = a + 1; b < g; b++) builder.add(first + a, first + b);
  }
  if (interNode === "ring") {
    for (let k = 0; k + 1 < nodes; k++) builder.add(k * g, (k + 1) * g);
    if (nodes >= 3) builder.add((nodes - 1) * g, 0);
  } else {
    for (let k = 0; k < nodes; k++) for (let l = k + 1; l < nodes; l++) builder.add(k * g, l * g);
  }
  return builder.build();
}
