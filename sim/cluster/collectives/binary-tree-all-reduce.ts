/**
 * Binary-tree all-reduce: reduce the whole buffer up a binary tree to the root, then broadcast it back
 * down. Rank i's children are 2i+1 and 2i+2 (heap layout over group order), rank 0 is the root.
 *
 * One-port model, as in the textbook analysis: a rank receives from one child at a time (left first;
 * the right child sends once the left one's data is in) and sends to one child at a time (left first).
 * A rank sends up once its whole subtree is reduced. With T = ℓ + S/B on an idle switch, a complete
 * tree of depth h (n = 2^(h+1) − 1) takes 2hT to reduce and 2hT to broadcast: 4hT.
 */
import { CollectiveRun, type CollectiveSetup } from "./collective-run.ts";

export class BinaryTreeAllReduce extends CollectiveRun {
  /** Children whose reduced data has arrived, per rank. */
  private readonly gathered: Int32Array;
  private readonly sentUp: Uint8Array;
  /** Has the final result (broadcast phase), per rank. */
  private readonly has: Uint8Array;
  /** Children sent the result so far (0, 1, 2), and whether a down send is in flight. */
  private readonly sentDown: Int32Array;
  private readonly busy: Uint8Array;

  constructor(setup: CollectiveSetup) {
    super(setup);
    const n = this.n;
    this.gathered = new Int32Array(n);
    this.sentUp = new Uint8Array(n);
    this.has = new Uint8Array(n);
    this.sentDown = new Int32Array(n);
    this.busy = new Uint8Array(n);
    this.totalTransfers = 2 * (n - 1);
  }

  begin(): void {
    for (let i = 0; i < this.n; i++) this.trySendUp(i);
  }

  protected delivered(from: number): void {
    // A rank's only up send ends before the root completes the reduction, hence before it has the
    // result: a send from a rank that has the result is a broadcast send.
    if (this.has[from] === 0) {
      const parent = (from - 1) >> 1;
      this.gathered[parent]!++;
      if (from % 2 === 1) this.trySendUp(from + 1); // the right sibling may go now
      this.trySendUp(parent);
      return;
    }
    const child = 2 * from + 1 + this.sentDown[from]!;
    this.sentDown[from]!++;
    this.busy[from] = 0;
    this.has[child] = 1;
    this.trySendDown(child);
    this.trySendDown(from);
  }

  private childCount(i: number): number {
    const left = 2 * i + 1;
    return left >= this.n ? 0 : left + 1 >= this.n ? 1 : 2;
  }

  private trySendUp(i: number): void {
    if (i >= this.n || this.sentUp[i] === 1 || this.gathered[i]! < this.childCount(i)) return;
    if (i === 0) {
      this.sentUp[0] = 1;
      this.has[0] = 1;
      this.trySendDown(0);
      return;
    }
    const parent = (i - 1) >> 1;
    const isRight = i % 2 === 0;
    if (isRight && this.gathered[parent]! < 1) return; // parent still receiving from the left child
    this.sentUp[i] = 1;
    this.send(i, parent, this.bytes);
  }

  private trySendDown(i: number): void {
    if (this.has[i] === 0 || this.busy[i] === 1) return;
    const done = this.sentDown[i]!;
    if (done === this.childCount(i)) return;
    this.busy[i] = 1;
    this.send(i, 2 * i + 1 + done, this.bytes);
  }
}
