/**
 * A recorded run as a Chrome Trace Event file (trace.json), for Perfetto (ui.perfetto.dev) or
 * chrome://tracing. Times are simulated: `ts` and `dur` in microseconds since the start of the run.
 *
 * - One process per worker ("worker 3", pid 4) with three threads: compute, communication and idle.
 *   Each holds "X" slices that never overlap (Perfetto's rule for a track): intervals with a compute
 *   running, with at least one transfer in flight (overlapping transfers merged into one slice), with
 *   neither (see `RecordingTimeLedger`). Compute and communication slices overlap each other where
 *   communication is hidden behind compute; per worker, the three add up to the result's times.
 * - One process "network" with a counter ("C") per link that carried traffic: its utilisation (bytes
 *   carried / (capacity × bin width)) on a regular grid of simulated time, a value repeated from the
 *   previous bin left out. See `LinkLoad` for how bytes are counted; the α-β model ignores contention,
 *   so its links can show more than 1 (and the flow model a little more, where rates changed).
 * - Metadata ("M") events name every process and thread; `otherData` says what the file holds, the
 *   links' names and capacities, and whether the span cap cut the timelines.
 *
 * pids and tids start at 1 and are unique across the file (Perfetto treats 0 as the idle "swapper").
 */
import type { Recording } from "../../sim/metrics/recording.ts";
import { Track } from "../../sim/metrics/recording-ledger.ts";
import type { RunResult } from "../../sim/result.ts";

export interface TraceEvent {
  readonly name: string;
  readonly ph: "X" | "C" | "M" | "i";
  readonly ts?: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  /** Scope of an instant event: "g", global. */
  readonly s?: "g";
  readonly args?: Readonly<Record<string, string | number>>;
}

export interface ChromeTrace {
  readonly traceEvents: TraceEvent[];
  readonly displayTimeUnit: "ms";
  readonly otherData: Readonly<Record<string, unknown>>;
}

const TRACK_NAMES = ["compute", "communication", "idle"] as const;

/** pid of worker w's process. */
export function workerPid(worker: number): number {
  return worker + 1;
}

/** tid of one track of worker w (compute, communication, idle: 4·pid + 1, 2, 3). */
export function trackTid(worker: number, track: Track): number {
  return 4 * workerPid(worker) + 1 + track;
}

export function buildTrace(result: RunResult, recording: Recording): ChromeTrace {
  const { workers, links } = recording;
  const networkPid = workers + 1;
  const events: TraceEvent[] = [];
  const meta = (name: string, pid: number, tid: number, args: Record<string, string | number>) =>
    events.push({ name, ph: "M", pid, tid, args });

  for (let w = 0; w < workers; w++) {
    const pid = workerPid(w);
    meta("process_name", pid, trackTid(w, Track.compute), { name: `worker ${w}` });
    meta("process_sort_index", pid, trackTid(w, Track.compute), { sort_index: w });
    for (const track of [Track.compute, Track.communication, Track.idle]) {
      meta("thread_name", pid, trackTid(w, track), { name: TRACK_NAMES[track] });
      meta("thread_sort_index", pid, trackTid(w, track), { sort_index: track });
    }
  }
  const networkTid = 4 * networkPid + 1;
  if (links.series.length > 0) {
    meta("process_name", networkPid, networkTid, { name: "network" });
    meta("process_sort_index", networkPid, networkTid, { sort_index: workers });
  }

  const spans = spanEvents(recording);
  for (const event of spans) events.push(event); // not push(...spans): a million arguments overflow the stack
  if (recording.truncatedAt !== undefined) {
    events.push({
      name: `trace truncated: more than ${recording.maxSpans} spans`,
      ph: "i",
      s: "g",
      ts: recording.truncatedAt * 1e6,
      pid: workerPid(0),
      tid: trackTid(0, Track.compute),
    });
  }
  const counters = counterEvents(recording, networkPid, networkTid);
  for (const event of counters) events.push(event);

  return {
    traceEvents: events,
    displayTimeUnit: "ms",
    otherData: {
      generator: "dtsim",
      scenario: result.scenario,
      seed: result.seed,
      clock: "simulated time; ts and dur in microseconds since the start of the run",
      simTime: recording.simTime,
      stopReason: result.stopReason,
      spans: spans.length,
      tracks:
        "per worker: compute (a compute running), communication (at least one transfer in flight, " +
        "overlapping transfers merged), idle (neither); their durations add up to the result's " +
        "computeTime, commTime and idleTime",
      ...(recording.truncatedAt === undefined
        ? {}
        : {
            truncated: {
              at: recording.truncatedAt,
              maxSpans: recording.maxSpans,
              note:
                "the span cap was reached: worker timelines cover [0, at] seconds only; " +
                "the link counters and result.json still cover the whole run",
            },
          }),
      linkCounters: {
        value: "utilisation: bytes carried in the bin / (link capacity × bin width)",
        binWidth: links.width,
        bins: links.bins,
        counting:
          "each completed transfer's bytes are spread evenly, on every link of its route, over the " +
          "time they moved (from its start plus the route's latency to its end); cancelled transfers " +
          "and those in flight at the end count nothing; a value equal to the previous bin's is left " +
          "out. The alpha-beta model ignores contention, so overlapping transfers can add up to more " +
          "than 1; the flow model shares links, but a transfer whose rate changed in flight is counted " +
          "at its average rate, so a bin can read slightly above 1 there",
        events: counters.length,
        links: links.series.map(({ id, name, capacity, bytes }) => ({
          id,
          name,
          capacity,
          bytes: bytes.reduce((sum, b) => sum + b, 0),
        })),
      },
    },
  };
}

/**
 * The spans as "X" events, by start time (then worker, then track), in microseconds at full precision —
 * except where two slices of one track touch (or come less than 1 ns apart): their shared boundary is
 * rounded to the nanosecond, written once for both. Perfetto reads times as whole nanoseconds, rounding
 * `ts` and `dur` separately; unrounded, a slice could then end 1 ns after the next one starts, and a
 * partial overlap is what Perfetto cannot show. A track's total duration is unchanged by this (the
 * rounding moves a boundary between two slices, not their sum).
 */
function spanEvents(recording: Recording): TraceEvent[] {
  const { count, worker, track, start, end } = recording.spans;
  const slots = 3 * recording.workers;
  const tsUs = Float64Array.from(start.subarray(0, count), (t) => t * 1e6);
  const endUs = Float64Array.from(end.subarray(0, count), (t) => t * 1e6);
  // The log holds each track's spans in time order: the previous one of a track is the last one seen.
  const previous = new Int32Array(slots).fill(-1);
  for (let i = 0; i < count; i++) {
    const slot = 3 * worker[i]! + track[i]!;
    const p = previous[slot]!;
    if (p >= 0 && start[i]! - end[p]! < 1e-9) {
      const boundary = Math.round(end[p]! * 1e9) / 1e3;
      endUs[p] = boundary;
      tsUs[i] = boundary;
    }
    previous[slot] = i;
  }
  // Sub-nanosecond spans may come out inverted from that rounding: make every track monotone.
  const lastEnd = new Float64Array(slots).fill(Number.NEGATIVE_INFINITY);
  const dur = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const slot = 3 * worker[i]! + track[i]!;
    const ts = Math.max(tsUs[i]!, lastEnd[slot]!);
    const until = Math.max(endUs[i]!, ts);
    tsUs[i] = ts;
    dur[i] = durationUs(ts, until);
    lastEnd[slot] = until;
  }
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => tsUs[a]! - tsUs[b]! || worker[a]! - worker[b]! || track[a]! - track[b]!);
  return order.map((i) => {
    const w = worker[i]!;
    const k = track[i]! as Track;
    return {
      name: TRACK_NAMES[k],
      ph: "X",
      ts: tsUs[i]!,
      dur: dur[i]!,
      pid: workerPid(w),
      tid: trackTid(w, k),
    };
  });
}

/** Utilisation counters, link after link; each ends with a 0 at the end of the run. */
function counterEvents(recording: Recording, pid: number, tid: number): TraceEvent[] {
  const { width, bins, series } = recording.links;
  const { simTime } = recording;
  const events: TraceEvent[] = [];
  // The grid in µs: a whole number whenever the bins are ≥ 1 µs wide, so its points print exactly.
  const exact = width * 1e6;
  const widthUs = Math.abs(exact - Math.round(exact)) <= 1e-9 * exact ? Math.round(exact) : exact;
  for (const { id, name, capacity, bytes } of series) {
    const label = `link ${id} ${name}`;
    let previous = Number.NaN;
    for (let k = 0; k < bins; k++) {
      const from = k * width;
      const span = Math.min(width, simTime - from);
      if (!(span > 0)) break;
      const utilisation = bytes[k]! / (capacity * span);
      if (utilisation === previous) continue;
      previous = utilisation;
      events.push({ name: label, ph: "C", ts: k * widthUs, pid, tid, args: { utilisation } });
    }
    if (previous !== 0)
      events.push({ name: label, ph: "C", ts: simTime * 1e6, pid, tid, args: { utilisation: 0 } });
  }
  return events;
}

/**
 * `endUs − ts`, lowered by an ulp or two if needed so that `ts + dur` does not round past `endUs`: the
 * next slice of the track starts at or after `endUs`, and must not seem to overlap this one.
 */
function durationUs(ts: number, endUs: number): number {
  let dur = endUs - ts;
  while (dur > 0 && ts + dur > endUs) dur = nextDown(dur);
  return dur;
}

const bits = new BigInt64Array(1);
const float = new Float64Array(bits.buffer);

/** The largest float64 below a positive `x`. */
function nextDown(x: number): number {
  float[0] = x;
  bits[0]! -= 1n;
  return float[0]!;
}

/**
 * The trace as JSON text, in pieces (one event per line), so that a large trace is written without
 * building one huge string.
 */
export function* traceChunks(trace: ChromeTrace, eventsPerChunk = 10_000): Generator<string> {
  const { traceEvents, ...rest } = trace;
  yield '{"traceEvents":[\n';
  for (let i = 0; i < traceEvents.length; i += eventsPerChunk) {
    const lines = traceEvents.slice(i, i + eventsPerChunk).map((event) => JSON.stringify(event));
    yield `${i > 0 ? ",\n" : ""}${lines.join(",\n")}`;
  }
  const tail = Object.entries(rest).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  yield `\n],\n${tail.join(",\n")}\n}\n`;
}
