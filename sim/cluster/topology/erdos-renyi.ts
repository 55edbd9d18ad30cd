import type { RandomStream } from "../../engine/random.ts";
import { EdgeListBuilder, type Graph } from "./graph.ts";
import { checkEdgeBudget, checkNumber, checkWorkerCount } from "./input-checks.ts";

/**
 * G(n, p): each of the n(n−1)/2 pairs is an edge independently with probability p. Not necessarily
 * connected (it is, w.h.p., for p above ln(n)/n); gossip callers check with `requireConnected`.
 *
 * Drawn by geometric skips over the pairs (Batagelj & Brandes 2005), O(n + |E|) rather than O(n²),
 * so sparse graphs on 10⁵ workers take milliseconds.
 */
export function erdosRenyiGraph(n: number, p: number, rng: RandomStream, path = "topology"): Graph {
  checkWorkerCount(n, path);
  checkNumber(p, `${path}.p`, 0, 1, "a probability in [0, 1]");
  // Refuse on the expected size, before spending the time to draw it.
  checkEdgeBudget((p * n * (n - 1)) / 2, n, `${path}.p`);
  const builder = new EdgeListBuilder(n);
  if (p === 0) return builder.build();
  if (p === 1) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) builder.add(i, j);
    return builder.build();
  }
  // Pairs (w, v) with w < v in row-major order; each step skips a Geometric(p) number of pairs.
  const logQ = Math.log1p(-p);
  let v = 1;
  let w = -1;
  while (v < n) {
    w += 1 + Math.floor(Math.log(rng.uniformPositive()) / logQ);
    while (w >= v && v < n) {
      w -= v;
      v++;
    }
    if (v < n) builder.add(w, v);
  }
  return builder.build();
}
