/**
 * Recording a run for its trace: each worker's timeline (compute, communication, idle spans, kept by a
 * `RecordingTimeLedger`) and each link's load over time (a `LinkLoad`, fed by a `RecordingNetwork`
 * that sees every completed transfer). Off by default; `runScenario(scenario, { record: true })` turns
 * it on and `recordingOf(result)` hands it over. Recording observes: the result is the same, bit for
 * bit (apart from `wallTime`), with or without it.
 *
 * Cost when off: none per event — the run uses the plain `TimeLedger` and the network itself.
 * When on: a few typed-array writes per ledger transition, one listener object per transfer, and at
 * each completion one route lookup and a bin update per link of the route.
 */
import type { Network, NetworkStats, TransferListener } from "../cluster/network/network.ts";
import type { Platform } from "../cluster/network/platform.ts";
import type { RunResult } from "../result.ts";
import { LinkLoad } from "./link-load.ts";
import { RecordingTimeLedger, type SpanLog } from "./recording-ledger.ts";

export interface RecordOptions {
  /** Most timeline spans kept (default 1 000 000: about 100 MB of trace.json); see `RecordingTimeLedger`. */
  readonly maxSpans?: number;
  /** Time bins per link for utilisation (default 500; the grid ends with bins/2 to bins in use). */
  readonly linkBins?: number;
  /** Most link × bin cells (default 250 000): a platform with many links gets fewer bins per link. */
  readonly maxLinkCells?: number;
}

export const DEFAULT_MAX_SPANS = 1_000_000;
const DEFAULT_LINK_BINS = 500;
const DEFAULT_MAX_LINK_CELLS = 250_000;

/** What a recording run leaves for its trace. Times in simulated seconds. */
export interface Recording {
  readonly workers: number;
  /** Simulated time the run ended. */
  readonly simTime: number;
  /** The workers' timelines, in the order they closed (see `Track`). */
  readonly spans: SpanLog;
  readonly maxSpans: number;
  /** Where the span cap cut the timelines (spans cover [0, truncatedAt] only); absent when it did not. */
  readonly truncatedAt: number | undefined;
  readonly links: LinkRecording;
}

export interface LinkRecording {
  /** Bin width, seconds (NaN when no transfer completed). Bin k covers [k·width, (k+1)·width) ∩ [0, simTime]. */
  readonly width: number;
  /** Bins in use: ⌈simTime / width⌉ (0 when no transfer completed). */
  readonly bins: number;
  /** The links that carried bytes, ascending by id. */
  readonly series: ReadonlyArray<LinkSeries>;
}

export interface LinkSeries {
  readonly id: number;
  /** `platform.describeLink(id)`. */
  readonly name: string;
  /** Bytes per second. */
  readonly capacity: number;
  /** Bytes carried in each bin (`bins` values). */
  readonly bytes: Float64Array;
}

const recordings = new WeakMap<RunResult, Recording>();

/** The recording of a run made with `record` on; undefined for any other result. */
export function recordingOf(result: RunResult): Recording | undefined {
  return recordings.get(result);
}

/** Built by `runScenario` when recording: the ledger and network to run with, then the recording. */
export class RunRecorder {
  readonly ledger: RecordingTimeLedger;
  readonly network: Network;
  private readonly platform: Platform;
  private readonly load: LinkLoad;

  constructor(workers: number, network: Network, options: true | RecordOptions) {
    const { maxSpans, linkBins, maxLinkCells } = options === true ? {} : options;
    this.platform = network.platform;
    const links = Math.max(1, this.platform.linkCount);
    const cells = maxLinkCells ?? DEFAULT_MAX_LINK_CELLS;
    this.ledger = new RecordingTimeLedger(workers, maxSpans ?? DEFAULT_MAX_SPANS);
    this.load = new LinkLoad(links, Math.min(linkBins ?? DEFAULT_LINK_BINS, Math.floor(cells / links)));
    this.network = new RecordingNetwork(network, this.load);
  }

  /** Called once the run is over (after `ledger.close`): attaches the recording to `result`. */
  finish(result: RunResult): void {
    const { ledger, load, platform } = this;
    const simTime = result.simTime;
    const hasLoad = !Number.isNaN(load.width);
    if (hasLoad) load.cover(simTime);
    const bins = hasLoad ? Math.min(load.bins, Math.ceil(simTime / load.width)) : 0;
    recordings.set(result, {
      workers: result.workers.length,
      simTime,
      spans: ledger.spans,
      maxSpans: ledger.maxSpans,
      truncatedAt: ledger.truncated ? ledger.truncatedAt : undefined,
      links: {
        width: load.width,
        bins,
        series: load.links().map((id) => ({
          id,
          name: platform.describeLink(id),
          capacity: platform.linkCapacity[id]!,
          bytes: load.binsOf(id).subarray(0, bins),
        })),
      },
    });
  }
}

/**
 * The network as the workloads see it, passing everything through to the real one, but told of every
 * completed transfer first (a listener wraps the caller's). Used only when recording.
 */
class RecordingNetwork implements Network {
  readonly platform: Platform;
  readonly stats: NetworkStats;
  private readonly inner: Network;
  private readonly load: LinkLoad;

  constructor(inner: Network, load: LinkLoad) {
    this.inner = inner;
    this.load = load;
    this.platform = inner.platform;
    this.stats = inner.stats;
  }

  transfer(
    src: number,
    dst: number,
    bytes: number,
    listener: TransferListener,
    tag?: number,
    rateCap?: number,
  ): number {
    const { load, platform } = this;
    const observed: TransferListener = {
      onTransferDone(record) {
        // The network has read its own route already: the platform's scratch array is free to reuse.
        const route = platform.route(record.src, record.dst);
        let latency = 0;
        for (let i = 0; i < route.length; i++) latency += platform.linkLatency[route[i]!]!;
        // Both models move the bytes after the route's latency: α-β at one rate, flow at max-min rates.
        load.add(route, Math.min(record.start + latency, record.end), record.end, record.bytes);
        listener.onTransferDone(record);
      },
    };
    return this.inner.transfer(src, dst, bytes, observed, tag, rateCap);
  }

  cancel(transferId: number): void {
    this.inner.cancel(transferId);
  }
}
