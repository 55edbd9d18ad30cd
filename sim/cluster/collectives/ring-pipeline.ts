/**
 * Ring reduce-scatter, all-gather and all-reduce (reduce-scatter then all-gather), as NCCL's ring:
 * the buffer is cut into n chunks of S/n; at step k rank r sends one chunk to rank r+1 (group order,
 * wrapping). Rank r sends its step-k chunk once it has received its predecessor's step k−1 chunk (the
 * data it must reduce or forward) and its own step k−1 send has finished (one channel per neighbour),
 * so a slow link delays only what depends on it.
 *
 * Steps: n−1 for reduce-scatter or all-gather, 2(n−1) for all-reduce; on an idle uniform ring each step
 * costs ℓ + S/(nB), hence 2(n−1)(ℓ + S/(nB)) for all-reduce.
 */
import { CollectiveRun, type CollectiveSetup } from "./collective-run.ts";

export class RingPipeline extends CollectiveRun {
  private readonly steps: number;
  private readonly chunk: number;
  /** Sends completed, receipts completed, and whether a send is in flight, per rank. */
  private readonly sent: Int32Array;
  private readonly received: Int32Array;
  private readonly busy: Uint8Array;

  constructor(setup: CollectiveSetup) {
    super(setup);
    const n = this.n;
    this.steps = setup.spec.kind === "all-reduce" ? 2 * (n - 1) : n - 1;
    this.chunk = this.bytes / n;
    this.sent = new Int32Array(n);
    this.received = new Int32Array(n);
    this.busy = new Uint8Array(n);
    this.totalTransfers = n * this.steps;
  }

  begin(): void {
    for (let r = 0; r < this.n; r++) this.trySend(r);
  }

  protected delivered(from: number): void {
    this.busy[from] = 0;
    this.sent[from]!++;
    const next = this.next(from);
    this.received[next]!++;
    this.trySend(next);
    this.trySend(from);
  }

  private trySend(r: number): void {
    const step = this.sent[r]!;
    if (this.busy[r] === 1 || step === this.steps) return;
    if (step > 0 && this.received[r]! < step) return;
    this.busy[r] = 1;
    this.send(r, this.next(r), this.chunk);
  }

  private next(r: number): number {
    return r + 1 === this.n ? 0 : r + 1;
  }
}
