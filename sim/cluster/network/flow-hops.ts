/**
 * Which active flows cross which links, without an object per flow or per link.
 *
 * Each flow owns a block of "hops" (one per link of its route) in shared typed arrays; blocks come in
 * power-of-two sizes with a free list per size, so routes of any length (a ring of 65 536 devices has
 * 32 768-hop routes) are served without per-flow allocation. Each link keeps an intrusive doubly
 * linked list of the hops crossing it (`linkHead` → `next` …), so a flow joins or leaves a link in O(1)
 * and the flows on a link are enumerated in arrival order (deterministic).
 */
import { ensureInt32 } from "./typed-growth.ts";

const NONE = -1;

export class FlowHops {
  /** Link id of each hop. */
  link = new Int32Array(64);
  /** Flow (transfer slot) owning each hop. */
  flow = new Int32Array(64);
  /** Next / previous hop on the same link's list (NONE at the ends); `next` also chains free blocks. */
  next = new Int32Array(64);
  prev = new Int32Array(64);
  /** First / last hop crossing each link, NONE when the link carries no flow. */
  readonly linkHead: Int32Array;
  private readonly linkTail: Int32Array;
  private used = 0;
  /** First free block of each size class 2^c, chained through `next`. */
  private readonly freeBlocks = new Int32Array(32).fill(NONE);

  constructor(linkCount: number) {
    this.linkHead = new Int32Array(linkCount).fill(NONE);
    this.linkTail = new Int32Array(linkCount).fill(NONE);
  }

  /** A block of at least `count` hops for `flow`; returns its first hop. */
  allocate(count: number, flow: number): number {
    const sizeClass = classOf(count);
    let start = this.freeBlocks[sizeClass]!;
    if (start !== NONE) {
      this.freeBlocks[sizeClass] = this.next[start]!;
    } else {
      start = this.used;
      this.used += 1 << sizeClass;
      this.reserve(this.used);
    }
    this.flow.fill(flow, start, start + count);
    return start;
  }

  release(start: number, count: number): void {
    const sizeClass = classOf(count);
    this.next[start] = this.freeBlocks[sizeClass]!;
    this.freeBlocks[sizeClass] = start;
  }

  /** Appends hop h to its link's list. */
  attach(h: number): void {
    const l = this.link[h]!;
    const tail = this.linkTail[l]!;
    this.prev[h] = tail;
    this.next[h] = NONE;
    if (tail === NONE) this.linkHead[l] = h;
    else this.next[tail] = h;
    this.linkTail[l] = h;
  }

  detach(h: number): void {
    const l = this.link[h]!;
    const before = this.prev[h]!;
    const after = this.next[h]!;
    if (before === NONE) this.linkHead[l] = after;
    else this.next[before] = after;
    if (after === NONE) this.linkTail[l] = before;
    else this.prev[after] = before;
  }

  private reserve(hops: number): void {
    if (hops <= this.link.length) return;
    this.link = ensureInt32(this.link, hops);
    this.flow = ensureInt32(this.flow, hops);
    this.next = ensureInt32(this.next, hops);
    this.prev = ensureInt32(this.prev, hops);
  }
}

/** Smallest c with 2^c ≥ count. */
function classOf(count: number): number {
  return count <= 1 ? 0 : 32 - Math.clz32(count - 1);
}
