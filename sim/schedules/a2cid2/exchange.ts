import { nextSwitchTime } from "../../cluster/topology/index.ts";
import type { RandomStream } from "../../engine/index.ts";
import type { ScheduleProcess } from "../operations.ts";
import type { A2cid2Workers } from "./core.ts";
import type { EdgePlan, EdgePlans } from "./rates.ts";

/**
 * The communications of A²CiD² in theory mode (the superposed edge clocks) and in systems mode with
 * Poisson pairing (each worker's own clock); see a2cid2.ts for the whole design.
 */

/**
 * Theory mode: the edge clocks of the theory (reference §3.2), superposed: Σλ_e events per gradient
 * unit, each on edge e with probability λ_e/Σλ. Exchanges are instantaneous: both ends are updated at
 * the same instant from the values before it. The streams and draws are gossip.ts's `edgeClocks`
 * (uniform rates), so a run of either schedule with one seed sees the same events.
 */
export function* edgeClocks(workers: A2cid2Workers, plans: EdgePlans): ScheduleProcess {
  const { ops } = workers;
  const clock = ops.random("edge-clock");
  const pick = ops.random("edge-pick");
  const si = ops.scratch(0);
  const sj = ops.scratch(0);
  for (;;) {
    let plan = plans.of(ops.graph.at(ops.now()));
    const rate = plan.totalRate;
    if (rate === 0) {
      const wait = untilNextGraph(workers);
      if (wait === undefined) return;
      yield ops.sleep(wait);
      continue;
    }
    yield ops.sleep(clock.exponential(rate));
    plan = plans.of(ops.graph.at(ops.now()));
    if (plan.totalRate === 0) continue;
    const e = pickEdge(plan, pick);
    const i = plan.graph.edgeU[e]!;
    const j = plan.graph.edgeV[e]!;
    // Theory variant: both ends mixed to now, then each sees the other's post-mix x. Code variant: each
    // sees the other's pre-mix x (what the code sends); each mixes its own before applying.
    workers.beforeRead(i);
    workers.beforeRead(j);
    ops.kernels.copy(si, workers.x[i]!);
    ops.kernels.copy(sj, workers.x[j]!);
    workers.receive(i, sj);
    workers.receive(j, si);
    ops.count(i, "exchanges");
    ops.count(j, "exchanges");
  }
}

/**
 * Systems mode, Poisson pairing: worker i's clock ticks Λ_ii/2 times per mean gradient of its device
 * and each tick picks neighbour j with probability λ_ij/Λ_ii, so that edge (i, j) sees λ_ij/2 + λ_ji/2
 * = λ_ij exchanges per gradient and every worker of a regular graph takes part in `rate` (its own
 * ticks and its neighbours'). Both vectors are sent at once (read when sent: after mixing in the theory
 * variant), and each end applies its side when both have arrived, as gossip.ts does. One exchange at a
 * time per clock; a worker may also be in exchanges its neighbours started.
 */
export function* poissonGossip(workers: A2cid2Workers, plans: EdgePlans, i: number): ScheduleProcess {
  const { ops } = workers;
  const clock = ops.random("gossip-clock", i);
  const pick = ops.random("gossip-partner", i);
  for (;;) {
    let plan = plans.of(ops.graph.at(ops.now()));
    const perSecond = plan.workerRates[i]! / (2 * workers.unit[i]!);
    if (perSecond === 0) {
      const wait = untilNextGraph(workers);
      if (wait === undefined) return;
      yield ops.sleep(wait);
      continue;
    }
    yield ops.sleep(clock.exponential(perSecond));
    plan = plans.of(ops.graph.at(ops.now()));
    const j = pickNeighbor(plan, i, pick, undefined);
    if (j < 0) continue;
    yield* duplexExchange(workers, i, j);
  }
}

/** Both vectors sent at once; each side applied when both have arrived. */
export function* duplexExchange(workers: A2cid2Workers, i: number, j: number): ScheduleProcess {
  const { ops } = workers;
  workers.beforeRead(i);
  workers.beforeRead(j);
  const toJ = ops.send(i, j, workers.x[i]!);
  const toI = ops.send(j, i, workers.x[j]!);
  const fromJ = yield* toI;
  const fromI = yield* toJ;
  workers.receive(i, fromJ);
  workers.receive(j, fromI);
  ops.release(i, fromJ);
  ops.release(j, fromI);
  ops.count(i, "exchanges");
  ops.count(j, "exchanges");
}

/**
 * The code's exchange (`p2p_averaging.py`): the higher rank sends then receives, the lower rank
 * receives then sends; NCCL point-to-point, so the two transfers are sequential. Each end applies its
 * side once both transfers are done.
 */
export function* sequentialExchange(workers: A2cid2Workers, i: number, j: number): ScheduleProcess {
  const { ops } = workers;
  const lo = Math.min(i, j);
  const hi = Math.max(i, j);
  workers.beforeRead(hi);
  const fromHi = yield* ops.send(hi, lo, workers.x[hi]!);
  workers.beforeRead(lo);
  const fromLo = yield* ops.send(lo, hi, workers.x[lo]!);
  workers.receive(lo, fromHi);
  workers.receive(hi, fromLo);
  ops.release(lo, fromHi);
  ops.release(hi, fromLo);
  ops.count(lo, "exchanges");
  ops.count(hi, "exchanges");
}

/** Edge e with probability λ_e/Σλ (uniform rates: one `int` draw, as gossip.ts). */
export function pickEdge(plan: EdgePlan, rng: RandomStream): number {
  const m = plan.edgeRates.length;
  if (plan.uniform) return rng.int(m);
  const target = rng.uniform() * plan.totalRate;
  return Math.min(m - 1, upperBound(plan.cumulative, 0, m, target));
}

/**
 * A neighbour j of i with probability ∝ λ_ij, among those `eligible` accepts (all when undefined);
 * −1 when none. Uniform rates with no filter: one `int` draw, as gossip.ts.
 */
export function pickNeighbor(
  plan: EdgePlan,
  i: number,
  rng: RandomStream,
  eligible: ((j: number) => boolean) | undefined,
): number {
  const g = plan.graph;
  const first = g.offsets[i]!;
  const last = g.offsets[i + 1]!;
  if (first === last) return -1;
  if (eligible === undefined && plan.uniform) return g.neighbors[first + rng.int(last - first)]!;
  let total = 0;
  for (let k = first; k < last; k++)
    if (eligible === undefined || eligible(g.neighbors[k]!)) total += plan.neighborRates[k]!;
  if (total === 0) return -1;
  let target = rng.uniform() * total;
  let chosen = -1;
  for (let k = first; k < last; k++) {
    const j = g.neighbors[k]!;
    if (eligible !== undefined && !eligible(j)) continue;
    chosen = j;
    target -= plan.neighborRates[k]!;
    if (target < 0) break;
  }
  return chosen;
}

/** First index in [lo, hi) whose prefix sum exceeds `target`. */
function upperBound(cumulative: Float64Array, lo: number, hi: number, target: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Seconds until the time-varying graph switches (undefined for a fixed graph: it never will). */
function untilNextGraph(workers: A2cid2Workers): number | undefined {
  const sequence = workers.ops.graph.sequence;
  if (sequence === undefined) return undefined;
  const now = workers.ops.now();
  return nextSwitchTime(sequence, now) - now;
}
