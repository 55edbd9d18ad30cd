import type { TransferRecord } from "../cluster/network/network.ts";
import type { ProcessBody, TimerTarget } from "../engine/index.ts";
import type { Workload, WorkloadContext } from "../workload.ts";
import { type DeliveryListener, TrackedTransfers } from "./tracked-transfers.ts";

export interface PlannedTransfer {
  readonly src: number;
  readonly dst: number;
  readonly bytes: number;
  /** Simulated time the transfer starts. */
  readonly at: number;
}

export interface RandomTransfers {
  /** How many transfers at most; absent: until the run stops. */
  readonly count?: number;
  readonly bytes: number;
  /** Poisson arrivals per second over the whole cluster. */
  readonly rate: number;
}

export interface P2pParams {
  readonly transfers: readonly PlannedTransfer[];
  readonly random: RandomTransfers | undefined;
}

/**
 * Point-to-point traffic: a list of planned transfers, and/or a Poisson stream of transfers between
 * uniformly random distinct devices. Exercises the network models and their contention directly.
 * A transfer whose source or destination is down when it should start is skipped.
 */
export class P2pTraffic implements Workload, DeliveryListener, TimerTarget {
  private readonly params: P2pParams;
  private ctx!: WorkloadContext;
  private transfers!: TrackedTransfers;
  private sent!: Float64Array;
  private received!: Float64Array;
  private skipped!: Float64Array;
  private lost!: Float64Array;

  constructor(params: P2pParams) {
    this.params = params;
  }

  start(ctx: WorkloadContext): void {
    this.ctx = ctx;
    this.transfers = new TrackedTransfers(ctx, this, ctx.hasFailures);
    this.sent = ctx.counter("transfersSent");
    this.received = ctx.counter("transfersReceived");
    this.skipped = ctx.counter("skippedTransfers");
    this.lost = ctx.counter("lostMessages");
    this.params.transfers.forEach((t, i) => {
      ctx.timers.at(t.at, this, i);
    });
    if (this.params.random !== undefined)
      ctx.processes.spawn("random-transfers", this.randomStream(this.params.random));
  }

  onTimer(index: number): void {
    const t = this.params.transfers[index]!;
    this.trySend(t.src, t.dst, t.bytes);
  }

  onDown(worker: number): void {
    this.lost[worker]! += this.transfers.dropInvolving(worker);
  }

  delivered(t: TransferRecord): void {
    this.received[t.dst]!++;
  }

  private *randomStream(spec: RandomTransfers): ProcessBody {
    const n = this.ctx.devices.length;
    if (n < 2) return;
    const arrivals = this.ctx.streams.stream("p2p-arrivals");
    const endpoints = this.ctx.streams.stream("p2p-endpoints");
    const count = spec.count ?? Number.POSITIVE_INFINITY;
    for (let k = 0; k < count; k++) {
      yield arrivals.exponential(spec.rate);
      const src = endpoints.int(n);
      // Uniform over the n-1 other devices.
      const other = endpoints.int(n - 1);
      const dst = other >= src ? other + 1 : other;
      this.trySend(src, dst, spec.bytes);
    }
  }

  private trySend(src: number, dst: number, bytes: number): void {
    if (this.ctx.isDown(src) || this.ctx.isDown(dst)) {
      this.skipped[src]!++;
      return;
    }
    this.sent[src]!++;
    this.transfers.send(src, dst, bytes);
  }
}
