/**
 * Max-min fair rate allocation (progressive filling / water-filling), the bandwidth-sharing model of
 * flow-level network simulators such as SimGrid: raise every flow's rate together; when a link fills
 * up, the flows crossing it are frozen at the current level (the link is their bottleneck); a flow
 * whose own cap is reached is frozen at its cap; continue with the others until every flow is frozen.
 * The result is the unique allocation where no flow can go faster without slowing a flow that is no
 * faster than it.
 *
 * The "next constraint to bind" is found with a heap keyed by each link's fair share
 * (remaining capacity / unfrozen flows on it). Freezing flows only raises the other links' shares, so
 * superseded heap entries can be skipped lazily: O((L + H) log(L + H)) for L links and H route hops.
 *
 * Flows that cross the same links with the same cap always get the same rate, so an entry may stand
 * for `counts[f]` such flows (a flow class): it weighs `counts[f]` on each of its links, and freezing it
 * charges its rate to each link `counts[f]` times, one subtraction per flow, in the same order as
 * for separate flows. Valid heap entries (current key, id, stamp) are therefore the same as for the
 * expanded instance, and so are the rates, bit for bit, as long as every capped flow is an entry of
 * its own (a cap entry freezes one flow at a time) and capped entries keep their relative order.
 *
 * Pure: input in, rates out, no simulator state, so it is tested on its own and reused by the
 * incremental `FlowNetwork` on each connected component it re-solves.
 */
import { KeyedHeap } from "./keyed-heap.ts";
import { ensureFloat64, ensureInt32, ensureUint8 } from "./typed-growth.ts";

/** Reusable solver: its work arrays grow to the largest instance seen and are then allocation-free. */
export class MaxMinSolver {
  private remaining = new Float64Array(16);
  private unfrozen = new Int32Array(16);
  private saturated = new Uint8Array(16);
  private linkStart = new Int32Array(17);
  /** Per-link cursor while the routes are transposed (Int32: a link may carry any number of flows). */
  private linkFill = new Int32Array(16);
  private linkFlows = new Int32Array(16);
  private frozen = new Uint8Array(16);
  private readonly heap = new KeyedHeap();

  /**
   * Flows are in CSR form: flow f crosses links routeLinks[routeStart[f] .. routeStart[f+1]) (a link
   * listed twice is crossed twice and counts twice). `caps[f]` is the flow's own rate limit
   * (+Infinity for none). Writes each flow's rate into `rates[f]`; a flow with no link and no cap
   * gets +Infinity. `counts[f]` (≥ 1; all 1 when omitted) is how many identical uncapped flows entry f
   * stands for.
   */
  solve(
    linkCount: number,
    capacity: ArrayLike<number>,
    flowCount: number,
    routeStart: ArrayLike<number>,
    routeLinks: ArrayLike<number>,
    caps: ArrayLike<number>,
    rates: Float64Array,
    counts?: ArrayLike<number>,
  ): void {
    const hopCount = routeStart[flowCount]!;
    this.reserve(linkCount, flowCount, hopCount);
    const remaining = this.remaining;
    const unfrozen = this.unfrozen;
    const saturated = this.saturated;
    const linkStart = this.linkStart;
    const linkFlows = this.linkFlows;
    const linkFill = this.linkFill;
    const frozen = this.frozen;
    const heap = this.heap;

    for (let l = 0; l < linkCount; l++) {
      remaining[l] = capacity[l]!;
      unfrozen[l] = 0;
      saturated[l] = 0;
    }
    for (let h = 0; h < hopCount; h++) unfrozen[routeLinks[h]!]!++;
    // Transpose the routes (counting sort): linkFlows[linkStart[l] ..) lists the entries on link l.
    linkStart[0] = 0;
    for (let l = 0; l < linkCount; l++) {
      linkStart[l + 1] = linkStart[l]! + unfrozen[l]!;
      linkFill[l] = linkStart[l]!;
    }
    // An entry standing for k flows weighs k on each of its links.
    if (counts !== undefined)
      for (let f = 0; f < flowCount; f++) {
        const extra = counts[f]! - 1;
        if (extra === 0) continue;
        for (let h = routeStart[f]!; h < routeStart[f + 1]!; h++) unfrozen[routeLinks[h]!]! += extra;
      }
    for (let f = 0; f < flowCount; f++) {
      for (let h = routeStart[f]!; h < routeStart[f + 1]!; h++) linkFlows[linkFill[routeLinks[h]!]!++] = f;
    }
    heap.clear();
    for (let l = 0; l < linkCount; l++) {
      if (unfrozen[l]! > 0) heap.push(remaining[l]! / unfrozen[l]!, l, unfrozen[l]!);
    }
    for (let f = 0; f < flowCount; f++) {
      frozen[f] = 0;
      const cap = caps[f]!;
      if (cap < Number.POSITIVE_INFINITY) heap.push(cap, linkCount + f, 0);
      else if (routeStart[f] === routeStart[f + 1]) {
        frozen[f] = 1;
        rates[f] = Number.POSITIVE_INFINITY;
      }
    }

    let level = 0;
    while (heap.pop()) {
      const id = heap.topId;
      if (id >= linkCount) {
        const f = id - linkCount;
        if (frozen[f] === 1) continue;
        if (heap.topKey > level) level = heap.topKey;
        this.freeze(f, heap.topKey, routeStart, routeLinks, rates, 1);
        continue;
      }
      // A link entry is current only if no flow on it was frozen since it was pushed.
      if (unfrozen[id] !== heap.topStamp) continue;
      // Rounding can leave a recomputed share a hair below the level reached; never go down.
      if (heap.topKey > level) level = heap.topKey;
      saturated[id] = 1;
      for (let k = linkStart[id]!; k < linkStart[id + 1]!; k++) {
        const f = linkFlows[k]!;
        if (frozen[f] === 0)
          this.freeze(f, level, routeStart, routeLinks, rates, counts === undefined ? 1 : counts[f]!);
      }
    }
  }

  /** Fixes the `count` flows of entry f at `rate` and charges each to every link it crosses. */
  private freeze(
    f: number,
    rate: number,
    routeStart: ArrayLike<number>,
    routeLinks: ArrayLike<number>,
    rates: Float64Array,
    count: number,
  ): void {
    this.frozen[f] = 1;
    rates[f] = rate;
    const remaining = this.remaining;
    const unfrozen = this.unfrozen;
    for (let h = routeStart[f]!; h < routeStart[f + 1]!; h++) {
      const l = routeLinks[h]!;
      const left = unfrozen[l]! - count;
      unfrozen[l] = left;
      // What is left of a saturated link, or of one no unfrozen flow crosses, is never read again.
      if (left > 0 && this.saturated[l] === 0) {
        // One subtraction per flow, as separate flows would be charged: the rounding is theirs.
        let spare = remaining[l]!;
        for (let k = 0; k < count; k++) spare -= rate;
        remaining[l] = spare;
        this.heap.push(spare > 0 ? spare / left : 0, l, left);
      }
    }
  }

  private reserve(linkCount: number, flowCount: number, hopCount: number): void {
    this.remaining = ensureFloat64(this.remaining, linkCount);
    this.unfrozen = ensureInt32(this.unfrozen, linkCount);
    this.saturated = ensureUint8(this.saturated, linkCount);
    this.linkStart = ensureInt32(this.linkStart, linkCount + 1);
    this.linkFill = ensureInt32(this.linkFill, linkCount);
    this.linkFlows = ensureInt32(this.linkFlows, hopCount);
    this.frozen = ensureUint8(this.frozen, flowCount);
  }
}

/**
 * Convenience form for tests and one-off use: `routes[f]` lists the link ids flow f crosses, `caps[f]`
 * its own limit (omit, or +Infinity, for none). Returns the rates.
 */
export function solveMaxMin(
  capacity: ArrayLike<number>,
  routes: ArrayLike<ArrayLike<number>>,
  caps?: ArrayLike<number>,
): Float64Array {
  const flowCount = routes.length;
  const routeStart = new Int32Array(flowCount + 1);
  for (let f = 0; f < flowCount; f++) routeStart[f + 1] = routeStart[f]! + routes[f]!.length;
  const routeLinks = new Int32Array(routeStart[flowCount]!);
  for (let f = 0; f < flowCount; f++) routeLinks.set(Array.from(routes[f]!), routeStart[f]!);
  const capArray = new Float64Array(flowCount).fill(Number.POSITIVE_INFINITY);
  if (caps !== undefined) for (let f = 0; f < flowCount; f++) capArray[f] = caps[f]!;
  const rates = new Float64Array(flowCount);
  new MaxMinSolver().solve(capacity.length, capacity, flowCount, routeStart, routeLinks, capArray, rates);
  return rates;
}
