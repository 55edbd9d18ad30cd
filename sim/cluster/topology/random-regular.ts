import type { RandomStream } from "../../engine/random.ts";
import { InputError } from "../../errors.ts";
import { completeGraph } from "./classic-graphs.ts";
import { isConnected } from "./connectivity.ts";
import { EdgeListBuilder, type Graph, graphFromEdges } from "./graph.ts";
import { checkEdgeBudget, checkInteger, checkWorkerCount } from "./input-checks.ts";

/** Attempted switches per edge; the tests check that pair frequencies then match the uniform law. */
const SWITCHES_PER_EDGE = 20;
/** Extra rounds allowed to reconnect a graph the switches split (rare for degree ≥ 3). */
const MAX_RECONNECT_ROUNDS = 1000;

/**
 * A random simple connected d-regular graph, deterministic for a stream.
 *
 * Method: start from a connected d-regular circulant (i ~ i ± 1..⌊d/2⌋, plus i ~ i + n/2 when d is
 * odd) and apply 20·|E| random double-edge switches ({a,b},{c,d} → {a,c},{b,d} or {a,d},{b,c}),
 * rejecting those that would create a self-loop or a duplicate. Switches keep every degree, and the
 * chain's stationary law is uniform over simple d-regular graphs, so the result is close to uniform.
 * The configuration model was rejected because its chance of a simple graph, about e^{−(d²−1)/4},
 * vanishes for the degrees people use (d = 8: 10⁻⁷). A disconnected outcome (likely only for small n)
 * gets more switches until connected. Degree 2 is a uniformly random Hamiltonian cycle (the only
 * connected 2-regular graphs); degree 1 is connected only for n = 2.
 */
export function randomRegularGraph(n: number, degree: number, rng: RandomStream, path = "topology"): Graph {
  checkWorkerCount(n, path);
  const d = checkDegree(n, degree, path);
  if (d === 1) return graphFromEdges(2, [[0, 1]]);
  if (d === 2) return randomHamiltonianCycle(n, rng);
  // The only (n−1)-regular graph; every switch would be rejected.
  if (d === n - 1) return completeGraph(n, path);

  const edgeTotal = (n * d) / 2;
  const us = new Int32Array(edgeTotal);
  const vs = new Int32Array(edgeTotal);
  let m = 0;
  for (let i = 0; i < n; i++) {
    for (let s = 1; s <= d >> 1; s++) {
      us[m] = i;
      vs[m++] = (i + s) % n;
    }
    if (d % 2 === 1 && i < n / 2) {
      us[m] = i;
      vs[m++] = i + n / 2;
    }
  }
  const present = new Set<number>();
  const key = (a: number, b: number) => (a < b ? a * n + b : b * n + a);
  for (let e = 0; e < m; e++) present.add(key(us[e]!, vs[e]!));

  const switchRound = (attempts: number) => {
    for (let t = 0; t < attempts; t++) {
      const e1 = rng.int(m);
      const e2 = rng.int(m);
      const a = us[e1]!;
      const b = vs[e1]!;
      let c = us[e2]!;
      let dd = vs[e2]!;
      if (rng.uniform() < 0.5) [c, dd] = [dd, c];
      // New edges {a,c} and {b,dd}: all four endpoints distinct (no loop, e1 ≠ e2), both new.
      if (a === c || a === dd || b === c || b === dd) continue;
      if (present.has(key(a, c)) || present.has(key(b, dd))) continue;
      present.delete(key(a, b));
      present.delete(key(c, dd));
      present.add(key(a, c));
      present.add(key(b, dd));
      us[e1] = a;
      vs[e1] = c;
      us[e2] = b;
      vs[e2] = dd;
    }
  };
  const toGraph = () => {
    const builder = new EdgeListBuilder(n);
    for (let e = 0; e < m; e++) builder.add(us[e]!, vs[e]!);
    return builder.build();
  };

  switchRound(SWITCHES_PER_EDGE * m);
  let graph = toGraph();
  for (let round = 0; !isConnected(graph); round++) {
    if (round === MAX_RECONNECT_ROUNDS)
      throw new Error(`random regular graph n=${n} d=${d} stayed disconnected`);
    switchRound(m);
    graph = toGraph();
  }
  return graph;
}

function checkDegree(n: number, degree: number, path: string): number {
  const field = `${path}.degree`;
  if (n === 1) throw new InputError(path, n, "at least two workers for a random regular graph");
  const d = checkInteger(degree, field, 1, n - 1);
  if ((n * d) % 2 !== 0) {
    throw new InputError(
      field,
      d,
      `an even degree: ${n} workers × degree must be even (each edge has two ends)`,
    );
  }
  if (d === 1 && n !== 2) {
    throw new InputError(
      field,
      d,
      `a degree of at least 2: a 1-regular graph on ${n} workers is disconnected`,
    );
  }
  checkEdgeBudget((n * d) / 2, n, path);
  return d;
}

/** A uniformly random cycle through all workers: a Fisher–Yates shuffle, closed into a ring. */
function randomHamiltonianCycle(n: number, rng: RandomStream): Graph {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const builder = new EdgeListBuilder(n);
  for (let i = 0; i < n; i++) builder.add(order[i]!, order[(i + 1) % n]!);
  return builder.build();
}
