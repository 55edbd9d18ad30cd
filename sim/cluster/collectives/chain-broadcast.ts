/**
 * Pipelined chain broadcast (the "ring" broadcast of NCCL, without the wrap-around): the root, rank 0,
 * cuts the buffer into k chunks and sends them one after the other to rank 1, which forwards each
 * chunk to rank 2 as soon as it has it, and so on. Each rank sends one chunk at a time.
 *
 * On an idle uniform chain the last rank has everything after (n − 2 + k)(ℓ + S/(kB)): more chunks hide
 * the chain's length but pay more latencies. k defaults to n.
 */
import { CollectiveRun, type CollectiveSetup } from "./collective-run.ts";

export class ChainBroadcast extends CollectiveRun {
  private readonly chunks: number;
  private readonly chunk: number;
  private readonly sent: Int32Array;
  private readonly received: Int32Array;
  private readonly busy: Uint8Array;

  constructor(setup: CollectiveSetup) {
    super(setup);
    const n = this.n;
    this.chunks = setup.spec.chunks ?? n;
    this.chunk = this.bytes / this.chunks;
    this.sent = new Int32Array(n);
    this.received = new Int32Array(n);
    this.busy = new Uint8Array(n);
    this.totalTransfers = (n - 1) * this.chunks;
  }

  begin(): void {
    this.trySend(0);
  }

  protected delivered(from: number): void {
    this.busy[from] = 0;
    this.sent[from]!++;
    this.received[from + 1]!++;
    this.trySend(from + 1);
    this.trySend(from);
  }

  private trySend(r: number): void {
    if (r === this.n - 1 || this.busy[r] === 1) return;
    const c = this.sent[r]!;
    if (c === this.chunks || (r > 0 && this.received[r]! <= c)) return;
    this.busy[r] = 1;
    this.send(r, r + 1, this.chunk);
  }
}
