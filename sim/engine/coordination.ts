import type { Timers, TimerTarget } from "./timers.ts";
import { type Listener, Signal, Waitable } from "./waitable.ts";

/**
 * Coordination primitives a schedule needs beyond sleeping: timeouts usable inside `anyOf`, cyclic
 * barriers, FIFO mailboxes, and waiting for any or all of several waitables.
 */

/** Completes after `delay` seconds; cancelled (its timer dropped) if nobody waits for it any more. */
export class Timeout extends Waitable<void> implements TimerTarget {
  private readonly timers: Timers;
  private readonly handle: number;

  constructor(timers: Timers, delay: number) {
    super();
    this.timers = timers;
    this.handle = timers.after(delay, this);
  }

  onTimer(): void {
    this.resolve(undefined);
  }

  protected override abandoned(): void {
    this.timers.cancel(this.handle);
  }
}

/** A cyclic barrier for `parties` processes: the last arrival releases everyone, then it resets. */
export class Barrier {
  readonly parties: number;
  private arrived = 0;
  private generation = new Signal<number>();
  private completedGenerations = 0;

  constructor(parties: number) {
    if (!Number.isInteger(parties) || parties < 1) throw new RangeError(`barrier parties must be ≥ 1`);
    this.parties = parties;
  }

  /** Waits until `parties` arrivals; resolves with the index of the completed generation. */
  arrive(): Waitable<number> {
    const current = this.generation;
    this.arrived++;
    if (this.arrived === this.parties) {
      this.arrived = 0;
      this.generation = new Signal<number>();
      current.succeed(this.completedGenerations++);
    }
    return current;
  }

  get waiting(): number {
    return this.arrived;
  }
}

/** A pending `get` on a mailbox. If its waiter gives up (an `anyOf` chose another branch), it leaves the queue. */
class MailboxGet<T> extends Waitable<T> {
  private readonly mailbox: Mailbox<T>;
  private returned = false;

  constructor(mailbox: Mailbox<T>) {
    super();
    this.mailbox = mailbox;
  }

  deliver(item: T): void {
    this.resolve(item);
  }

  protected override abandoned(): void {
    this.mailbox.withdraw(this);
  }

  /** The item was taken for a waiter that will never see it: it goes back to the mailbox, once. */
  protected override unclaimed(): void {
    if (this.returned) return;
    this.returned = true;
    this.mailbox.giveBack(this.value as T);
  }
}

/** A FIFO store (SimPy Store, SimGrid Mailbox): `put` never blocks; `get` waits for an item. Nothing is lost. */
export class Mailbox<T> {
  private items: T[] = [];
  private head = 0;
  private getters: MailboxGet<T>[] = [];

  put(item: T): void {
    // Hand the item to the oldest getter that someone still waits on.
    const getter = this.getters.shift();
    if (getter !== undefined) getter.deliver(item);
    else this.items.push(item);
  }

  get(): Waitable<T> {
    const getter = new MailboxGet<T>(this);
    if (this.head < this.items.length) {
      const item = this.items[this.head++]!;
      if (this.head > 64 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      getter.deliver(item);
    } else this.getters.push(getter);
    return getter;
  }

  /** Items waiting to be taken. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Gets waiting for an item. */
  get waiting(): number {
    return this.getters.length;
  }

  /** An item a get took but its waiter dropped: to the oldest getter, else back to the head of the queue. */
  giveBack(item: T): void {
    const getter = this.getters.shift();
    if (getter !== undefined) getter.deliver(item);
    else if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
  }

  withdraw(getter: MailboxGet<T>): void {
    const i = this.getters.indexOf(getter);
    if (i >= 0) this.getters.splice(i, 1);
  }
}

export interface FirstOf {
  readonly index: number;
  readonly value: unknown;
}

/** Completes with the first of `children` to complete (index and value), and stops listening to the rest. */
class AnyOf extends Waitable<FirstOf> implements Listener {
  private readonly children: readonly Waitable<unknown>[];

  constructor(children: readonly Waitable<unknown>[]) {
    super();
    if (children.length === 0) throw new RangeError("anyOf needs at least one waitable");
    this.children = children;
    for (const child of children) {
      if (this.done) break;
      child.subscribe(this);
    }
  }

  notify(source: Waitable<unknown>): void {
    if (this.done) return;
    unsubscribeAll(this.children, this, source);
    if (source.state === "failed") this.reject(source.error);
    else this.resolve({ index: this.children.indexOf(source), value: source.value });
  }

  protected override abandoned(): void {
    unsubscribeAll(this.children, this);
  }

  protected override unclaimed(): void {
    this.children[this.value!.index]!.unsubscribe(this);
  }
}

/** Completes with every child's value once all have succeeded; fails as soon as one fails. */
class AllOf extends Waitable<unknown[]> implements Listener {
  private readonly children: readonly Waitable<unknown>[];
  private remaining: number;

  constructor(children: readonly Waitable<unknown>[]) {
    super();
    this.children = children;
    this.remaining = children.length;
    if (this.remaining === 0) this.resolve([]);
    for (const child of children) {
      if (this.done) break;
      child.subscribe(this);
    }
  }

  notify(source: Waitable<unknown>): void {
    if (this.done) return;
    if (source.state === "failed") {
      unsubscribeAll(this.children, this);
      this.reject(source.error);
      return;
    }
    if (--this.remaining === 0) this.resolve(this.children.map((c) => c.value));
  }

  protected override abandoned(): void {
    unsubscribeAll(this.children, this);
  }

  protected override unclaimed(): void {
    unsubscribeAll(this.children, this);
  }
}

/** Last to first, so that items given back to one mailbox return to its head in their original order. */
function unsubscribeAll(
  children: readonly Waitable<unknown>[],
  listener: Listener,
  except?: Waitable<unknown>,
) {
  for (let i = children.length - 1; i >= 0; i--)
    if (children[i] !== except) children[i]!.unsubscribe(listener);
}

export function anyOf(children: readonly Waitable<unknown>[]): Waitable<FirstOf> {
  return new AnyOf(children);
}

export function allOf(children: readonly Waitable<unknown>[]): Waitable<unknown[]> {
  return new AllOf(children);
}
