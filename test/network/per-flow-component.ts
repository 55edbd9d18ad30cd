/**
 * The part of the network a flow event can affect: the connected component, in the bipartite graph of
 * active flows and links, that contains the links of the flow that started or ended. Max-min rates of
 * flows outside it cannot change (they share no link, even transitively), so only this component is
 * re-solved and every other flow keeps its rate and its already scheduled completion.
 *
 * `gather` finds it by breadth-first search over the per-link flow lists and lays it out as a compact
 * max-min instance (local link ids, CSR routes) for `MaxMinSolver`. Visit marks are epoch stamps, so
 * nothing is cleared between calls; all buffers are reused.
 *
 * This is the per-flow search the simulator used before flows were grouped into classes; it stays here
 * as the reference that `FlowNetwork`'s class-based search must reproduce bit for bit (through
 * `LazyFlowNetwork`, which still uses it).
 */
import type { FlowHops } from "../../sim/cluster/network/flow-hops.ts";
import { ensureFloat64, ensureInt32 } from "../../sim/cluster/network/typed-growth.ts";

/** Per-flow facts the gatherer reads, indexed by transfer slot (owned by `FlowNetwork`). */
export interface FlowTable {
  readonly hopStart: Int32Array;
  readonly hopCount: Int32Array;
  readonly cap: Float64Array;
  /** Slot ids are below this. */
  readonly slotCount: number;
}

export class FlowComponent {
  /** Global link ids of the component; local link i is `links[i]`. */
  links = new Int32Array(16);
  linkCount = 0;
  /** Transfer slots of the component's flows; local flow j is `flows[j]`. */
  flows = new Int32Array(16);
  flowCount = 0;
  /** The max-min instance over local ids, and room for the solver's output. */
  capacity = new Float64Array(16);
  caps = new Float64Array(16);
  routeStart = new Int32Array(17);
  routeLinks = new Int32Array(16);
  rates = new Float64Array(16);

  private readonly linkStamp: Int32Array;
  private readonly linkLocal: Int32Array;
  private flowStamp = new Int32Array(16);
  private epoch = 0;

  constructor(platformLinks: number) {
    this.linkStamp = new Int32Array(platformLinks);
    this.linkLocal = new Int32Array(platformLinks);
  }

  /**
   * Collects the component reachable from the links of hops [seedStart, seedStart + seedCount) (the
   * changed flow's route; that flow itself is included only while attached to its links).
   */
  gather(
    hops: FlowHops,
    table: FlowTable,
    seedStart: number,
    seedCount: number,
    linkCapacity: Float64Array,
  ): void {
    this.nextEpoch(table.slotCount);
    const epoch = this.epoch;
    const flowStamp = this.flowStamp;
    const hopLink = hops.link;
    const hopFlow = hops.flow;
    const hopNext = hops.next;
    const linkHead = hops.linkHead;
    const linkLocal = this.linkLocal;
    this.linkCount = 0;
    let flowCount = 0;
    let hopTotal = 0;
    for (let h = seedStart; h < seedStart + seedCount; h++) this.visitLink(hopLink[h]!);
    // `links` doubles as the BFS queue: new links are appended while it is scanned.
    for (let i = 0; i < this.linkCount; i++) {
      for (let h = linkHead[this.links[i]!]!; h !== -1; h = hopNext[h]!) {
        const f = hopFlow[h]!;
        if (flowStamp[f] === epoch) continue;
        flowStamp[f] = epoch;
        const start = table.hopStart[f]!;
        const count = table.hopCount[f]!;
        this.reserveFlows(flowCount + 1, hopTotal + count);
        this.flows[flowCount] = f;
        this.caps[flowCount] = table.cap[f]!;
        this.routeStart[flowCount] = hopTotal;
        flowCount++;
        const routeLinks = this.routeLinks;
        for (let k = start; k < start + count; k++) {
          const l = hopLink[k]!;
          this.visitLink(l);
          routeLinks[hopTotal++] = linkLocal[l]!;
        }
      }
    }
    this.routeStart[flowCount] = hopTotal;
    this.flowCount = flowCount;
    this.capacity = ensureFloat64(this.capacity, this.linkCount);
    for (let i = 0; i < this.linkCount; i++) this.capacity[i] = linkCapacity[this.links[i]!]!;
  }

  private visitLink(l: number): void {
    if (this.linkStamp[l] === this.epoch) return;
    this.linkStamp[l] = this.epoch;
    this.linkLocal[l] = this.linkCount;
    if (this.linkCount === this.links.length) this.links = ensureInt32(this.links, this.linkCount + 1);
    this.links[this.linkCount++] = l;
  }

  private reserveFlows(flows: number, hops: number): void {
    if (flows > this.flows.length) {
      this.flows = ensureInt32(this.flows, flows);
      const length = this.flows.length;
      this.caps = ensureFloat64(this.caps, length);
      this.rates = ensureFloat64(this.rates, length);
      // One more than flows: routeStart[flowCount] closes the last route.
      this.routeStart = ensureInt32(this.routeStart, length + 1);
    }
    this.routeLinks = ensureInt32(this.routeLinks, hops);
  }

  private nextEpoch(slotCount: number): void {
    this.flowStamp = ensureInt32(this.flowStamp, slotCount);
    if (this.epoch === 0x7fffffff) {
      this.epoch = 0;
      this.linkStamp.fill(0);
      this.flowStamp.fill(0);
    }
    this.epoch++;
  }
}
