/**
 * Recursive halving and doubling (Rabenseifner; Thakur, Rabenseifner & Gropp 2005), for a group of
 * n = 2^k ranks. Reduce-scatter by recursive halving: at step j (j = 1..k) rank r exchanges half of
 * what it still reduces with partner r XOR n/2^j, S/2^j bytes each way. All-gather by recursive
 * doubling: the same in reverse, partner r XOR 2^(j−1), S·2^(j−1)/n bytes. All-reduce is the first
 * followed by the second.
 *
 * A rank starts step j once its own step j−1 send is done and its partner's step j−1 data is in; no
 * barrier between steps. On an idle switch each direction of an exchange has its own NIC links, so
 * all-reduce takes 2kℓ + 2(n−1)/n · S/B; reduce-scatter and all-gather half of that.
 */
import { CollectiveRun, type CollectiveSetup } from "./collective-run.ts";

export class HalvingDoubling extends CollectiveRun {
  private readonly steps: number;
  /** Partner distance (XOR mask) and bytes sent each way, per step. */
  private readonly distance: Int32Array;
  private readonly stepBytes: Float64Array;
  private readonly sent: Int32Array;
  private readonly busy: Uint8Array;
  /** got[r · steps + j]: rank r has its step-j partner's data. */
  private readonly got: Uint8Array;

  constructor(setup: CollectiveSetup) {
    super(setup);
    const n = this.n;
    const kind = setup.spec.kind;
    const halving = kind === "all-reduce" || kind === "reduce-scatter";
    const doubling = kind === "all-reduce" || kind === "all-gather";
    const k = Math.round(Math.log2(n));
    const distances: number[] = [];
    const sizes: number[] = [];
    if (halving) {
      for (let j = 1; j <= k; j++) {
        distances.push(n >> j);
        sizes.push(this.bytes / 2 ** j);
      }
    }
    if (doubling) {
      for (let j = 1; j <= k; j++) {
        distances.push(1 << (j - 1));
        sizes.push((this.bytes * 2 ** (j - 1)) / n);
      }
    }
    this.steps = distances.length;
    this.distance = Int32Array.from(distances);
    this.stepBytes = Float64Array.from(sizes);
    this.sent = new Int32Array(n);
    this.busy = new Uint8Array(n);
    this.got = new Uint8Array(n * this.steps);
    this.totalTransfers = n * this.steps;
  }

  begin(): void {
    for (let r = 0; r < this.n; r++) this.trySend(r);
  }

  protected delivered(from: number): void {
    const step = this.sent[from]!;
    const partner = from ^ this.distance[step]!;
    this.sent[from] = step + 1;
    this.busy[from] = 0;
    this.got[partner * this.steps + step] = 1;
    this.trySend(partner);
    this.trySend(from);
  }

  private trySend(r: number): void {
    const step = this.sent[r]!;
    if (this.busy[r] === 1 || step === this.steps) return;
    if (step > 0 && this.got[r * this.steps + step - 1] === 0) return;
    this.busy[r] = 1;
    this.send(r, r ^ this.distance[step]!, this.stepBytes[step]!);
  }
}
