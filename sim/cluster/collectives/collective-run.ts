/**
 * The common part of every message-based collective: it is the listener of its own point-to-point
 * transfers (tagged with the sender's index in the group), counts them, and reports the record when
 * the last one has arrived. Subclasses are the per-algorithm state machines: each reacts to one
 * delivered transfer by starting whatever sends that delivery made possible, so ranks advance on what
 * they have received rather than at a global barrier per step.
 */
import type { Simulation } from "../../engine/simulation.ts";
import type { Network, TransferListener, TransferRecord } from "../network/network.ts";
import type {
  CollectiveAlgorithm,
  CollectiveKind,
  CollectiveListener,
  CollectiveRecord,
  CollectiveSpec,
} from "./collective.ts";

/** Everything a run needs, checked by `startCollective`. */
export interface CollectiveSetup {
  readonly id: number;
  readonly sim: Simulation;
  readonly network: Network;
  readonly spec: CollectiveSpec;
  readonly listener: CollectiveListener;
}

export abstract class CollectiveRun implements TransferListener {
  readonly id: number;
  readonly kind: CollectiveKind;
  readonly algorithm: CollectiveAlgorithm;
  readonly bytes: number;
  readonly start: number;
  /** Device ids in group order; rank r is `group[r]`. */
  protected readonly group: Int32Array;
  protected readonly n: number;
  protected readonly sim: Simulation;
  private readonly network: Network;
  private readonly listener: CollectiveListener;
  /** Transfers the algorithm makes in all; the run is over when that many have arrived. */
  protected totalTransfers = 0;
  private transfers = 0;
  private bytesMoved = 0;

  constructor(setup: CollectiveSetup) {
    this.id = setup.id;
    this.kind = setup.spec.kind;
    this.algorithm = setup.spec.algorithm;
    this.bytes = setup.spec.bytes;
    this.group = Int32Array.from(setup.spec.group);
    this.n = this.group.length;
    this.sim = setup.sim;
    this.start = setup.sim.now;
    this.network = setup.network;
    this.listener = setup.listener;
  }

  /** Makes the first sends. Called once, after construction. */
  abstract begin(): void;

  /** The transfer sent by rank `from` has arrived. */
  protected abstract delivered(from: number): void;

  onTransferDone(transfer: TransferRecord): void {
    this.transfers++;
    this.bytesMoved += transfer.bytes;
    this.delivered(transfer.tag);
    if (this.transfers === this.totalTransfers) this.finish();
  }

  /** Reports completion now. */
  finish(): void {
    const record: CollectiveRecord = {
      id: this.id,
      kind: this.kind,
      algorithm: this.algorithm,
      bytes: this.bytes,
      groupSize: this.n,
      start: this.start,
      end: this.sim.now,
      transfers: this.transfers,
      bytesMoved: this.bytesMoved,
    };
    this.listener.onCollectiveDone(record);
  }

  protected send(from: number, to: number, bytes: number): void {
    this.network.transfer(this.group[from]!, this.group[to]!, bytes, this, from);
  }
}
