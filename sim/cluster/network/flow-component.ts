/**
 * The part of the network a flow event can affect: the connected component, in the bipartite graph of
 * active flows and links, that contains the links of the flow that started or ended. Max-min rates of
 * flows outside it cannot change (they share no link, even transitively), so only this component is
 * re-solved and every other flow keeps its rate and its already scheduled completion.
 *
 * `gather` finds it by breadth-first search over the classes on each link (`FlowClasses`) and lays it
 * out as a compact max-min instance of classes (local link ids, CSR routes, class sizes) for
 * `MaxMinSolver`. It reproduces the order a search over single flows would take, because the results'
 * rounding depends on it: links are numbered in discovery order, and the classes met on a link are
 * taken in the order of their oldest member (a link lists its flows in activation order, and every
 * member of a class crosses the link). `forEachFlow` then yields the member flows in that search's
 * order. Visit marks are epoch stamps, so nothing is cleared between calls; all buffers are reused.
 */
import type { FlowClasses } from "./flow-classes.ts";
import { ensureFloat64, ensureInt32 } from "./typed-growth.ts";

export class FlowComponent {
  /** Global link ids of the component; local link i is `links[i]`. */
  links = new Int32Array(16);
  linkCount = 0;
  /** Classes of the component; local entry j is class `classes[j]`, first met on local link `firstLink[j]`. */
  classes = new Int32Array(16);
  firstLink = new Int32Array(16);
  classCount = 0;
  /** The max-min instance over local ids, and room for the solver's output. */
  capacity = new Float64Array(16);
  caps = new Float64Array(16);
  counts = new Int32Array(16);
  routeStart = new Int32Array(17);
  routeLinks = new Int32Array(16);
  rates = new Float64Array(16);

  private readonly linkStamp: Int32Array;
  private readonly linkLocal: Int32Array;
  private classStamp = new Int32Array(16);
  private epoch = 0;
  /** Member cursors while merging the classes first met on one link. */
  private cursor = new Int32Array(16);

  constructor(platformLinks: number) {
    this.linkStamp = new Int32Array(platformLinks);
    this.linkLocal = new Int32Array(platformLinks);
  }

  /**
   * Collects the component reachable from links `seed[seedStart .. seedStart+seedCount)` (the changed
   * flow's route; that flow itself is included only while it belongs to its class).
   */
  gather(
    classes: FlowClasses,
    seed: Int32Array,
    seedStart: number,
    seedCount: number,
    linkCapacity: Float64Array,
  ): void {
    this.nextEpoch(classes.classSlots);
    const epoch = this.epoch;
    const classStamp = this.classStamp;
    const hops = classes.hops;
    const hopLink = hops.link;
    const hopOwner = hops.flow;
    const hopNext = hops.next;
    const linkHead = hops.linkHead;
    const linkLocal = this.linkLocal;
    const head = classes.head;
    const sequence = classes.sequence;
    this.linkCount = 0;
    let count = 0;
    let hopTotal = 0;
    for (let h = seedStart; h < seedStart + seedCount; h++) this.visitLink(seed[h]!);
    // `links` doubles as the BFS queue: new links are appended while it is scanned.
    for (let i = 0; i < this.linkCount; i++) {
      const first = count;
      for (let h = linkHead[this.links[i]!]!; h !== -1; h = hopNext[h]!) {
        const c = hopOwner[h]!;
        if (classStamp[c] === epoch) continue;
        classStamp[c] = epoch;
        this.reserveClasses(count + 1);
        // Insertion by oldest member: a link carries few classes.
        const key = sequence[head[c]!]!;
        let j = count++;
        while (j > first && sequence[head[this.classes[j - 1]!]!]! > key) {
          this.classes[j] = this.classes[j - 1]!;
          j--;
        }
        this.classes[j] = c;
      }
      for (let j = first; j < count; j++) {
        const c = this.classes[j]!;
        const start = classes.hopStart[c]!;
        const hopCount = classes.hopCount[c]!;
        this.routeLinks = ensureInt32(this.routeLinks, hopTotal + hopCount);
        this.firstLink[j] = i;
        this.caps[j] = classes.cap[c]!;
        this.counts[j] = classes.size[c]!;
        this.routeStart[j] = hopTotal;
        const routeLinks = this.routeLinks;
        for (let k = start; k < start + hopCount; k++) {
          const l = hopLink[k]!;
          this.visitLink(l);
          routeLinks[hopTotal++] = linkLocal[l]!;
        }
      }
    }
    this.routeStart[count] = hopTotal;
    this.classCount = count;
    this.capacity = ensureFloat64(this.capacity, this.linkCount);
    for (let i = 0; i < this.linkCount; i++) this.capacity[i] = linkCapacity[this.links[i]!]!;
  }

  /**
   * Calls `visit(flow, entry)` for every member flow of the gathered classes, in the order a search
   * over single flows would have met them: by the link that reached their class, then by activation.
   */
  forEachFlow(classes: FlowClasses, visit: (flow: number, entry: number) => void): void {
    const next = classes.next;
    const sequence = classes.sequence;
    this.cursor = ensureInt32(this.cursor, this.classCount);
    const cursor = this.cursor;
    let j = 0;
    while (j < this.classCount) {
      let end = j + 1;
      while (end < this.classCount && this.firstLink[end] === this.firstLink[j]) end++;
      if (end === j + 1) {
        for (let f = classes.head[this.classes[j]!]!; f !== -1; f = next[f]!) visit(f, j);
      } else {
        for (let k = j; k < end; k++) cursor[k] = classes.head[this.classes[k]!]!;
        for (;;) {
          let best = -1;
          for (let k = j; k < end; k++) {
            const f = cursor[k]!;
            if (f !== -1 && (best < 0 || sequence[f]! < sequence[cursor[best]!]!)) best = k;
          }
          if (best < 0) break;
          const f = cursor[best]!;
          cursor[best] = next[f]!;
          visit(f, best);
        }
      }
      j = end;
    }
  }

  private visitLink(l: number): void {
    if (this.linkStamp[l] === this.epoch) return;
    this.linkStamp[l] = this.epoch;
    this.linkLocal[l] = this.linkCount;
    if (this.linkCount === this.links.length) this.links = ensureInt32(this.links, this.linkCount + 1);
    this.links[this.linkCount++] = l;
  }

  private reserveClasses(count: number): void {
    if (count <= this.classes.length) return;
    this.classes = ensureInt32(this.classes, count);
    const length = this.classes.length;
    this.firstLink = ensureInt32(this.firstLink, length);
    this.caps = ensureFloat64(this.caps, length);
    this.counts = ensureInt32(this.counts, length);
    this.rates = ensureFloat64(this.rates, length);
    // One more than entries: routeStart[classCount] closes the last route.
    this.routeStart = ensureInt32(this.routeStart, length + 1);
  }

  private nextEpoch(classSlots: number): void {
    this.classStamp = ensureInt32(this.classStamp, classSlots);
    if (this.epoch === 0x7fffffff) {
      this.epoch = 0;
      this.linkStamp.fill(0);
      this.classStamp.fill(0);
    }
    this.epoch++;
  }
}
