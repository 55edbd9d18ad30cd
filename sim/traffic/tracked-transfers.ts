import type { TransferListener, TransferRecord } from "../cluster/network/network.ts";
import type { WorkloadContext } from "../workload.ts";

/** Told when a tracked transfer has delivered its last byte. */
export interface DeliveryListener {
  delivered(transfer: TransferRecord): void;
}

/**
 * Point-to-point sends with the bookkeeping every workload needs: both ends are charged communication
 * time while the transfer is in flight, and — only when the scenario has failures — transfers in
 * flight are remembered so that a failing device's transfers can be dropped (and never delivered).
 */
export class TrackedTransfers implements TransferListener {
  private readonly ctx: WorkloadContext;
  private readonly owner: DeliveryListener;
  private readonly inFlight: Map<number, TransferRecord> | undefined;

  constructor(ctx: WorkloadContext, owner: DeliveryListener, trackForFailures: boolean) {
    this.ctx = ctx;
    this.owner = owner;
    this.inFlight = trackForFailures ? new Map() : undefined;
  }

  send(src: number, dst: number, bytes: number, tag = 0): void {
    const now = this.ctx.sim.now;
    this.ctx.ledger.commStart(src, now);
    this.ctx.ledger.commStart(dst, now);
    const id = this.ctx.network.transfer(src, dst, bytes, this, tag);
    this.inFlight?.set(id, { id, src, dst, bytes, start: now, end: Number.NaN, tag });
  }

  onTransferDone(transfer: TransferRecord): void {
    const now = this.ctx.sim.now;
    this.ctx.ledger.commEnd(transfer.src, now);
    this.ctx.ledger.commEnd(transfer.dst, now);
    this.inFlight?.delete(transfer.id);
    this.owner.delivered(transfer);
  }

  /** Cancels every transfer in flight from or to `worker`; returns how many were lost. */
  dropInvolving(worker: number): number {
    if (this.inFlight === undefined) return 0;
    const now = this.ctx.sim.now;
    let lost = 0;
    for (const [id, t] of this.inFlight) {
      if (t.src !== worker && t.dst !== worker) continue;
      this.ctx.network.cancel(id);
      this.inFlight.delete(id);
      this.ctx.ledger.commEnd(t.src, now);
      this.ctx.ledger.commEnd(t.dst, now);
      lost++;
    }
    return lost;
  }
}
