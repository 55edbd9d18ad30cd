/**
 * Active flows grouped into classes: flows that cross the same links in the same order with no cap of
 * their own always get the same max-min rate, so the solver needs one entry per class (weighted by its
 * size) rather than one per flow. Under overload a switch's backlog is thousands of flows over a few
 * hundred (source NIC, destination NIC) pairs, and the per-event solve shrinks accordingly.
 *
 * Links list the classes crossing them (a `FlowHops` whose owners are classes); a class lists its
 * member flows in activation order (an intrusive doubly linked list over flow slots), with each
 * flow's activation sequence number, so that the flows of a component can be enumerated in the very
 * order a per-flow search found them (see `FlowComponent`). A flow with a cap is a class of its own:
 * the solver freezes capped flows one at a time, and a shared entry would not.
 */
import { FlowHops } from "./flow-hops.ts";
import { ensureFloat64, ensureInt32 } from "./typed-growth.ts";

const NONE = -1;

export class FlowClasses {
  /** Each class's route, attached to its links while the class has members. */
  readonly hops: FlowHops;
  // Per class.
  hopStart = new Int32Array(16);
  hopCount = new Int32Array(16);
  cap = new Float64Array(16);
  size = new Int32Array(16);
  /** Oldest and newest member (flow slots), NONE when empty. */
  head = new Int32Array(16);
  private tail = new Int32Array(16);
  private keys: (string | undefined)[] = [];
  private highWater = 0;
  private free = new Int32Array(16);
  private freeCount = 0;
  private readonly byRoute = new Map<string, number>();
  // Per flow slot.
  classOf = new Int32Array(16);
  /** Next member of the same class (NONE at the end). */
  next = new Int32Array(16);
  private prev = new Int32Array(16);
  /** Activation order of the flows, increasing (a double: exact far beyond any run's flow count). */
  sequence = new Float64Array(16);
  private sequenceCounter = 0;

  constructor(linkCount: number) {
    this.hops = new FlowHops(linkCount);
  }

  /** Class slots are below this. */
  get classSlots(): number {
    return this.highWater;
  }

  /** Adds flow slot `flow`, crossing `links[from .. from+count)` with cap `cap`, to its class. */
  join(flow: number, links: ArrayLike<number>, from: number, count: number, cap: number): void {
    this.reserveFlows(flow + 1);
    let key: string | undefined;
    let c = -1;
    if (cap === Number.POSITIVE_INFINITY) {
      key = routeKey(links, from, count);
      c = this.byRoute.get(key) ?? -1;
    }
    if (c < 0) c = this.create(links, from, count, cap, key);
    const tail = this.tail[c]!;
    this.classOf[flow] = c;
    this.prev[flow] = tail;
    this.next[flow] = NONE;
    if (tail === NONE) this.head[c] = flow;
    else this.next[tail] = flow;
    this.tail[c] = flow;
    this.size[c]!++;
    this.sequence[flow] = this.sequenceCounter++;
  }

  /** Removes flow slot `flow` from its class; a class left empty leaves its links. */
  leave(flow: number): void {
    const c = this.classOf[flow]!;
    const before = this.prev[flow]!;
    const after = this.next[flow]!;
    if (before === NONE) this.head[c] = after;
    else this.next[before] = after;
    if (after === NONE) this.tail[c] = before;
    else this.prev[after] = before;
    if (--this.size[c]! > 0) return;
    const start = this.hopStart[c]!;
    const end = start + this.hopCount[c]!;
    for (let h = start; h < end; h++) this.hops.detach(h);
    this.hops.release(start, this.hopCount[c]!);
    const key = this.keys[c];
    if (key !== undefined) this.byRoute.delete(key);
    this.keys[c] = undefined;
    this.free = ensureInt32(this.free, this.freeCount + 1);
    this.free[this.freeCount++] = c;
  }

  private create(links: ArrayLike<number>, from: number, count: number, cap: number, key?: string): number {
    const c = this.freeCount > 0 ? this.free[--this.freeCount]! : this.highWater++;
    if (this.highWater > this.size.length) this.reserveClasses(this.highWater);
    const start = this.hops.allocate(count, c);
    const hopLink = this.hops.link;
    for (let i = 0; i < count; i++) hopLink[start + i] = links[from + i]!;
    for (let h = start; h < start + count; h++) this.hops.attach(h);
    this.hopStart[c] = start;
    this.hopCount[c] = count;
    this.cap[c] = cap;
    this.size[c] = 0;
    this.head[c] = NONE;
    this.tail[c] = NONE;
    this.keys[c] = key;
    if (key !== undefined) this.byRoute.set(key, c);
    return c;
  }

  private reserveClasses(classes: number): void {
    this.hopStart = ensureInt32(this.hopStart, classes);
    this.hopCount = ensureInt32(this.hopCount, classes);
    this.cap = ensureFloat64(this.cap, classes);
    this.size = ensureInt32(this.size, classes);
    this.head = ensureInt32(this.head, classes);
    this.tail = ensureInt32(this.tail, classes);
  }

  private reserveFlows(flows: number): void {
    if (flows <= this.classOf.length) return;
    this.classOf = ensureInt32(this.classOf, flows);
    this.next = ensureInt32(this.next, flows);
    this.prev = ensureInt32(this.prev, flows);
    this.sequence = ensureFloat64(this.sequence, flows);
  }
}

/** The route as a map key: its link ids in order (routes are short on switches and trees). */
function routeKey(links: ArrayLike<number>, from: number, count: number): string {
  let key = "";
  for (let i = 0; i < count; i++) key += `${links[from + i]!},`;
  return key;
}
