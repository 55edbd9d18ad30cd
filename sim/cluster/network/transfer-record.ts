/**
 * What the network models share about finished transfers: the statistics arrays, the one mutable
 * record handed to listeners (reused so completions allocate nothing), and the optional trace of
 * every transfer, which copies records because trace users keep them.
 */
import type { NetworkStats, TransferRecord } from "./network.ts";

export interface NetworkOptions {
  /** Keep a copy of every completed transfer in `transfers` (for traces). Off by default: it allocates. */
  readonly recordTransfers?: boolean;
}

export function createNetworkStats(deviceCount: number, linkCount: number): NetworkStats {
  return {
    bytesSent: new Float64Array(deviceCount),
    bytesReceived: new Float64Array(deviceCount),
    linkBytes: new Float64Array(linkCount),
    completed: 0,
  };
}

/** The record object passed to `onTransferDone`, overwritten for each completion. */
export class ScratchRecord implements TransferRecord {
  id = 0;
  src = 0;
  dst = 0;
  bytes = 0;
  start = 0;
  end = Number.NaN;
  tag = 0;

  set(id: number, src: number, dst: number, bytes: number, start: number, end: number, tag: number): void {
    this.id = id;
    this.src = src;
    this.dst = dst;
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.tag = tag;
  }

  copy(): TransferRecord {
    const { id, src, dst, bytes, start, end, tag } = this;
    return { id, src, dst, bytes, start, end, tag };
  }
}
