/**
 * Binomial-tree broadcast (MPICH's): the root, rank 0, sends the whole buffer to rank P/2 (P the
 * smallest power of two ≥ n), then P/4, …, 1; every rank v > 0, once it has the data, sends it to
 * v + m for m = lowbit(v)/2, lowbit(v)/4, …, 1 (those below n). Each rank sends one message at a time.
 *
 * Chosen over a pipelined chain for "tree" because it is the latency-optimal textbook broadcast:
 * ⌈log₂ n⌉ (ℓ + S/B) on an idle switch.
 */
import { CollectiveRun, type CollectiveSetup } from "./collective-run.ts";

export class BinomialBroadcast extends CollectiveRun {
  /** Next distance each rank sends over (0 once it has no child left). */
  private readonly mask: Int32Array;
  private readonly has: Uint8Array;
  private readonly busy: Uint8Array;

  constructor(setup: CollectiveSetup) {
    super(setup);
    const n = this.n;
    this.mask = new Int32Array(n);
    this.has = new Uint8Array(n);
    this.busy = new Uint8Array(n);
    let top = 1;
    while (top < n) top *= 2;
    this.mask[0] = top >> 1;
    for (let v = 1; v < n; v++) this.mask[v] = (v & -v) >> 1;
    this.has[0] = 1;
    this.totalTransfers = n - 1;
  }

  begin(): void {
    this.trySend(0);
  }

  protected delivered(from: number): void {
    const child = from + this.mask[from]!;
    this.busy[from] = 0;
    this.mask[from]! >>= 1;
    this.has[child] = 1;
    this.trySend(child);
    this.trySend(from);
  }

  private trySend(v: number): void {
    if (this.has[v] === 0 || this.busy[v] === 1) return;
    let m = this.mask[v]!;
    while (m > 0 && v + m >= this.n) m >>= 1;
    this.mask[v] = m;
    if (m === 0) return;
    this.busy[v] = 1;
    this.send(v, v + m, this.bytes);
  }
}
