import type { RandomStream } from "../../engine/random.ts";
import { InputError } from "../../errors.ts";
import { EdgeListBuilder, type Graph } from "./graph.ts";
import { checkNumber, checkWorkerCount, MAX_TOPOLOGY_EDGES } from "./input-checks.ts";

/**
 * Random geometric graph: n points uniform in the unit square (x then y drawn per worker), an edge
 * when two points are at Euclidean distance ≤ radius. Not necessarily connected; gossip callers
 * check with `requireConnected`. (DADAO's time-varying experiments force connectivity by joining
 * components; that is not done here, so that the family stays the textbook one.)
 */
export function randomGeometricGraph(n: number, radius: number, rng: RandomStream, path = "topology"): Graph {
  return randomGeometricLayout(n, radius, rng, path).graph;
}

/** The graph with the points it was drawn from (for plots). */
export function randomGeometricLayout(
  n: number,
  radius: number,
  rng: RandomStream,
  path = "topology",
): { graph: Graph; x: Float64Array; y: Float64Array } {
  checkWorkerCount(n, path);
  checkNumber(
    radius,
    `${path}.radius`,
    0,
    Number.POSITIVE_INFINITY,
    "a non-negative distance in the unit square",
  );
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.uniform();
    y[i] = rng.uniform();
  }
  // Bucket points into square cells no smaller than the radius, so each point need only be compared
  // with the points of its own and the 8 surrounding cells: O(n + |E|) instead of O(n²).
  const side = Math.max(1, Math.min(Math.floor(1 / Math.max(radius, 1e-12)), Math.ceil(Math.sqrt(n))));
  const cellOf = (i: number) =>
    Math.min(side - 1, Math.floor(x[i]! * side)) * side + Math.min(side - 1, Math.floor(y[i]! * side));
  const cellStart = new Int32Array(side * side + 1);
  for (let i = 0; i < n; i++) cellStart[cellOf(i) + 1]!++;
  for (let c = 0; c < side * side; c++) cellStart[c + 1]! += cellStart[c]!;
  const members = new Int32Array(n);
  const fill = cellStart.slice(0, side * side);
  for (let i = 0; i < n; i++) members[fill[cellOf(i)]!++] = i;

  const r2 = radius * radius;
  const builder = new EdgeListBuilder(n);
  for (let i = 0; i < n; i++) {
    const cx = Math.min(side - 1, Math.floor(x[i]! * side));
    const cy = Math.min(side - 1, Math.floor(y[i]! * side));
    for (let gx = Math.max(0, cx - 1); gx <= Math.min(side - 1, cx + 1); gx++) {
      for (let gy = Math.max(0, cy - 1); gy <= Math.min(side - 1, cy + 1); gy++) {
        const cell = gx * side + gy;
        for (let k = cellStart[cell]!; k < cellStart[cell + 1]!; k++) {
          const j = members[k]!;
          if (j <= i) continue;
          const dx = x[i]! - x[j]!;
          const dy = y[i]! - y[j]!;
          if (dx * dx + dy * dy <= r2) builder.add(i, j);
        }
      }
    }
    if (builder.size > MAX_TOPOLOGY_EDGES) {
      throw new InputError(
        `${path}.radius`,
        radius,
        `a radius giving at most ${MAX_TOPOLOGY_EDGES} edges on ${n} workers (choose a smaller radius)`,
      );
    }
  }
  return { graph: builder.build(), x, y };
}
