import {
  degree,
  edgeCount,
  exponentialEdgeRates,
  exponentialGraph,
  exponentialOffsets,
  type Graph,
  uniformGossipRate,
} from "../cluster/topology/index.ts";

/**
 * Who exchanges with whom and how often, for the pairwise schedules (gossip, A²CiD², DADAO; reference §1, §3.4): per-edge Poisson rates λ_e
 * in exchanges per gradient (the theory's time unit), and the constants η, α̃ they give.
 *
 * Rates follow the authors' `compute_laplacian` (Λ = r·(I − W), W_ij = #occurrences of j in i's
 * neighbour list / its length): λ_e = r/degree on regular graphs (every worker takes part in r
 * exchanges per gradient), and on the code's exponential graph the ±n/2 neighbour, listed twice, gets
 * twice the rate of the others (`exponentialEdgeRates`; this reproduces the §3.6 table). Other graphs
 * get the uniform rate of `uniformGossipRate` (n·r/2 events per unit shared equally by the edges).
 */
export interface EdgePlan {
  readonly graph: Graph;
  /** λ_e per edge, in edge order (exchanges per gradient). */
  readonly edgeRates: Float64Array;
  /** Every edge has the same rate (then edges are picked with `int`, as gossip.ts does). */
  readonly uniform: boolean;
  /** Σ_e λ_e: pairwise events per gradient over the whole network. */
  readonly totalRate: number;
  /** Prefix sums of `edgeRates` (for drawing an edge with probability λ_e / Σλ). */
  readonly cumulative: Float64Array;
  /** The rate of edge (v, neighbors[k]) for each CSR slot k (aligned with `graph.neighbors`). */
  readonly neighborRates: Float64Array;
  /** Λ_ii = Σ_j λ_ij: the exchanges worker i takes part in per gradient. */
  readonly workerRates: Float64Array;
  /** Every pair of workers is linked (the code then pairs the first two available workers). */
  readonly complete: boolean;
}

/**
 * The exponential graph of the A²CiD² code (i ± 2^k), recognised by its edges. For n ≤ 5 it is also
 * the complete graph (or the ring), whose reading wins: the code's `complete` and `cycle` graphs have
 * uniform rates. So only n = 6 and n ≥ 8 graphs get the exponential rates.
 */
export function isCodeExponentialGraph(g: Graph): boolean {
  const n = g.n;
  const m = edgeCount(g);
  if (n < 2 || m === (n * (n - 1)) / 2) return false;
  // Cheap rejection first: worker 0's degree is the number of distinct gaps ±2^k mod n.
  const gaps = new Set<number>();
  for (const offset of exponentialOffsets(n)) gaps.add(offset).add(n - offset);
  if (degree(g, 0) !== gaps.size) return false;
  const reference = exponentialGraph(n);
  if (edgeCount(reference) !== m) return false;
  for (let e = 0; e < m; e++)
    if (reference.edgeU[e] !== g.edgeU[e] || reference.edgeV[e] !== g.edgeV[e]) return false;
  return true;
}

/**
 * The exchange plan of one graph at `perWorkerRate` exchanges per gradient per worker. With
 * `codeExponential` (the default), the A²CiD² code's exponential graph gets its own rates.
 */
export function edgePlan(g: Graph, perWorkerRate: number, codeExponential = true): EdgePlan {
  const n = g.n;
  const m = edgeCount(g);
  let edgeRates: Float64Array;
  let uniform: boolean;
  if (m === 0) {
    edgeRates = new Float64Array(0);
    uniform = true;
  } else if (codeExponential && isCodeExponentialGraph(g)) {
    edgeRates = exponentialEdgeRates(g, perWorkerRate);
    uniform = edgeRates.every((r) => r === edgeRates[0]);
  } else {
    edgeRates = new Float64Array(m).fill(uniformGossipRate(g, perWorkerRate));
    uniform = true;
  }
  const cumulative = new Float64Array(m);
  let total = 0;
  for (let e = 0; e < m; e++) {
    total += edgeRates[e]!;
    cumulative[e] = total;
  }
  // n·r/2 exactly for uniform rates, so that the clocks draw exactly as gossip.ts's do.
  const totalRate = m === 0 ? 0 : uniform ? (n * perWorkerRate) / 2 : total;
  const neighborRates = new Float64Array(g.neighbors.length);
  const workerRates = new Float64Array(n);
  for (let e = 0; e < m; e++) {
    const u = g.edgeU[e]!;
    const v = g.edgeV[e]!;
    const rate = edgeRates[e]!;
    neighborRates[slotOf(g, u, v)] = rate;
    neighborRates[slotOf(g, v, u)] = rate;
    workerRates[u]! += rate;
    workerRates[v]! += rate;
  }
  return {
    graph: g,
    edgeRates,
    uniform,
    totalRate,
    cumulative,
    neighborRates,
    workerRates,
    complete: n >= 2 && m === (n * (n - 1)) / 2,
  };
}

/** CSR slot of neighbour v in u's sorted list. */
function slotOf(g: Graph, u: number, v: number): number {
  let lo = g.offsets[u]!;
  let hi = g.offsets[u + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const w = g.neighbors[mid]!;
    if (w === v) return mid;
    if (w < v) lo = mid + 1;
    else hi = mid;
  }
  throw new RangeError(`${v} is not a neighbour of ${u}`);
}

/** Plans of every graph a run may see, built once each (`at(t)` returns the same objects). */
export class EdgePlans {
  private readonly plans = new Map<Graph, EdgePlan>();
  private readonly rate: number;
  private readonly codeExponential: boolean;

  constructor(rate: number, options: { readonly codeExponential?: boolean } = {}) {
    this.rate = rate;
    this.codeExponential = options.codeExponential ?? true;
  }

  of(g: Graph): EdgePlan {
    let plan = this.plans.get(g);
    if (plan === undefined) {
      plan = edgePlan(g, this.rate, this.codeExponential);
      this.plans.set(g, plan);
    }
    return plan;
  }
}
