import { ensureFloat64, ensureInt32, ensureUint8 } from "../cluster/network/typed-growth.ts";
import { TimeLedger } from "./time-ledger.ts";

/** The three tracks of a worker's timeline. Compute and communication may overlap; idle is neither. */
export const Track = { compute: 0, communication: 1, idle: 2 } as const;
export type Track = (typeof Track)[keyof typeof Track];
const TRACKS = 3;

/** Spans as parallel typed arrays (no object per span): span i is `worker[i]`'s `track[i]` over [start[i], end[i]]. */
export class SpanLog {
  count = 0;
  worker = new Int32Array(1024);
  track = new Uint8Array(1024);
  start = new Float64Array(1024);
  end = new Float64Array(1024);

  push(worker: number, track: number, start: number, end: number): void {
    const i = this.count++;
    if (i >= this.worker.length) {
      this.worker = ensureInt32(this.worker, i + 1);
      this.track = ensureUint8(this.track, i + 1);
      this.start = ensureFloat64(this.start, i + 1);
      this.end = ensureFloat64(this.end, i + 1);
    }
    this.worker[i] = worker;
    this.track[i] = track;
    this.start[i] = start;
    this.end[i] = end;
  }
}

/**
 * A `TimeLedger` that also keeps each worker's timeline as spans, for traces: intervals with a compute
 * running (compute track), with at least one transfer in flight (communication track: the union of
 * overlapping transfers) and with neither (idle track). A compute or communication span ends when the
 * last compute (transfer) in it ends, even if another starts at that same instant: back-to-back
 * computes show as separate spans that touch, overlapping ones as one. It charges exactly the
 * intervals the ledger charges — same transitions, same `dt > 0` test — so each track's span durations
 * add up to the ledger's `computeTime`, `commTime` and `idleTime` (up to rounding).
 *
 * A subclass rather than a flag in `TimeLedger`: a run that does not record uses the plain ledger and
 * pays nothing, not even a branch per transition.
 *
 * At most `maxSpans` spans are kept (or 3 per worker + 3, if that is more). When the next transition
 * could overflow that, the timeline is cut at the current simulated time T (`truncatedAt`): every
 * worker's open spans are closed at T and nothing later is recorded, so the spans describe [0, T]
 * completely and nothing after. The ledger's totals keep counting to the end of the run.
 */
export class RecordingTimeLedger extends TimeLedger {
  readonly spans = new SpanLog();
  /** Simulated time at which the span cap cut the timeline; Infinity when it holds the whole run. */
  truncatedAt = Number.POSITIVE_INFINITY;
  readonly maxSpans: number;
  private readonly workers: number;
  /** Most spans before a step: room left for that step (≤ 3 spans) and a cut (≤ 1 per track and worker). */
  private readonly limit: number;
  private readonly computingCount: Int32Array;
  private readonly communicatingCount: Int32Array;
  private readonly last: Float64Array;
  /** Start of worker w's open span on track k at [TRACKS·w + k]; NaN when that track is closed. */
  private readonly open: Float64Array;
  private recording = true;

  constructor(workers: number, maxSpans: number) {
    super(workers);
    this.workers = workers;
    this.maxSpans = maxSpans;
    this.limit = maxSpans - TRACKS * workers - 3;
    this.computingCount = new Int32Array(workers);
    this.communicatingCount = new Int32Array(workers);
    this.last = new Float64Array(workers);
    this.open = new Float64Array(TRACKS * workers).fill(Number.NaN);
  }

  override computeStart(worker: number, now: number): void {
    if (this.recording) {
      this.step(worker, now);
      this.computingCount[worker]!++;
    }
    super.computeStart(worker, now);
  }

  override computeEnd(worker: number, now: number): void {
    if (this.recording) {
      this.step(worker, now);
      if (--this.computingCount[worker]! === 0 && this.recording) this.end(worker, Track.compute, now);
    }
    super.computeEnd(worker, now);
  }

  override commStart(worker: number, now: number): void {
    if (this.recording) {
      this.step(worker, now);
      this.communicatingCount[worker]!++;
    }
    super.commStart(worker, now);
  }

  override commEnd(worker: number, now: number): void {
    if (this.recording) {
      this.step(worker, now);
      if (--this.communicatingCount[worker]! === 0 && this.recording)
        this.end(worker, Track.communication, now);
    }
    super.commEnd(worker, now);
  }

  /** Ends the timeline at `now` (the end of the run): every open span is closed there. */
  override close(now: number): void {
    super.close(now);
    if (this.recording) this.cut(now);
  }

  /** Whether the span cap cut the timeline before the end of the run. */
  get truncated(): boolean {
    return this.truncatedAt !== Number.POSITIVE_INFINITY;
  }

  private step(worker: number, now: number): void {
    this.advanceSpans(worker, now);
    if (this.spans.count > this.limit) {
      this.cut(now);
      this.truncatedAt = now;
    }
  }

  /** Closes the interval [last, now] of `worker` in its current state, as the ledger charges it. */
  private advanceSpans(worker: number, now: number): void {
    const last = this.last[worker]!;
    const dt = now - last;
    if (dt <= 0) return;
    this.last[worker] = now;
    const computing = this.computingCount[worker]! > 0;
    const communicating = this.communicatingCount[worker]! > 0;
    this.extend(worker, Track.compute, computing, last);
    this.extend(worker, Track.communication, communicating, last);
    this.extend(worker, Track.idle, !computing && !communicating, last);
  }

  /** The track is `active` from `at` on: opens a span there, or closes the open one there. */
  private extend(worker: number, track: Track, active: boolean, at: number): void {
    const slot = TRACKS * worker + track;
    const start = this.open[slot]!;
    if (active) {
      if (Number.isNaN(start)) this.open[slot] = at;
    } else {
      this.end(worker, track, at);
    }
  }

  /** Closes the track's open span, if any, at `at`. */
  private end(worker: number, track: Track, at: number): void {
    const slot = TRACKS * worker + track;
    const start = this.open[slot]!;
    if (Number.isNaN(start)) return;
    this.open[slot] = Number.NaN;
    this.spans.push(worker, track, start, at);
  }

  /** Brings every worker to `now`, closes all spans there, and stops recording. */
  private cut(now: number): void {
    this.recording = false;
    for (let w = 0; w < this.workers; w++) {
      this.advanceSpans(w, now);
      for (let track = 0; track < TRACKS; track++) this.end(w, track as Track, this.last[w]!);
    }
  }
}
