import type { Platform } from "./platform.ts";

/**
 * The network seen by everything above it: start a transfer of some bytes from one device to another
 * and be told when the last byte has arrived. Two fidelities implement it (α-β per message, and
 * flow-level max-min fair sharing); collectives and schedules use only this interface.
 */
export interface TransferListener {
  /**
   * Called from within the event loop at the simulated time the transfer completes. The network
   * reuses one record object for every call (no allocation per event): read it, or copy it, during
   * the call; do not keep it.
   */
  onTransferDone(transfer: TransferRecord): void;
}

export interface TransferRecord {
  readonly id: number;
  readonly src: number;
  readonly dst: number;
  readonly bytes: number;
  /** Simulated time the transfer was started. */
  readonly start: number;
  /** Simulated time the last byte arrived (NaN until then). */
  readonly end: number;
  /** Free-form integer chosen by the caller (a collective id, a message kind), echoed back. */
  readonly tag: number;
}

export interface Network {
  /** The physical platform underneath: link names, and routes for closed-form cost estimates. */
  readonly platform: Platform;
  /**
   * Starts a transfer now. `bytes` ≥ 0; src ≠ dst. Returns the transfer id, unique for the life of the
   * network. `rateCap` (bytes/s, default unlimited) bounds this transfer's rate on its own, the way a
   * TCP window over a round trip or a single DMA engine would.
   */
  transfer(
    src: number,
    dst: number,
    bytes: number,
    listener: TransferListener,
    tag?: number,
    rateCap?: number,
  ): number;
  /** Aborts an unfinished transfer (its device failed); the listener is not called. No-op if done. */
  cancel(transferId: number): void;
  /** Totals so far, by device and by directed link. */
  readonly stats: NetworkStats;
}

export interface NetworkStats {
  /** Bytes whose transfer completed, by source device. */
  readonly bytesSent: Float64Array;
  /** Bytes whose transfer completed, by destination device. */
  readonly bytesReceived: Float64Array;
  /** Bytes carried by each physical link id (completed transfers). */
  readonly linkBytes: Float64Array;
  /** Transfers completed. */
  completed: number;
}
