import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { buildTrace } from "../../cli/output/trace.ts";
import type { Recording } from "../../sim/metrics/recording.ts";
import { RecordingTimeLedger, Track } from "../../sim/metrics/recording-ledger.ts";
import { TimeLedger } from "../../sim/metrics/time-ledger.ts";
import type { RunResult } from "../../sim/result.ts";
import { overlapDuration, type Slice, totalDuration } from "./trace-format.ts";

/**
 * The recording ledger on random transition sequences, with many simultaneous transitions (touching
 * spans) and sub-nanosecond gaps: it charges what the plain ledger charges, its spans add up to the
 * ledger's totals, and the trace's slices never overlap on a track — neither as written (float µs)
 * nor as Perfetto reads them (ts and dur each rounded to whole nanoseconds).
 */

const WORKERS = 2;

const step: fc.Arbitrary<Step> = fc.record({
  worker: fc.integer({ min: 0, max: WORKERS - 1 }),
  comm: fc.boolean(),
  start: fc.boolean(),
  dt: fc.oneof(
    fc.constant(0),
    fc.constant(3e-10),
    fc.double({ min: 1e-9, max: 1e-3, noNaN: true }),
    fc.double({ min: 0.5, max: 2, noNaN: true }),
  ),
});

interface Step {
  readonly worker: number;
  readonly comm: boolean;
  readonly start: boolean;
  readonly dt: number;
}

function replay(steps: ReadonlyArray<Step>, maxSpans = 1_000_000) {
  const plain = new TimeLedger(WORKERS);
  const recording = new RecordingTimeLedger(WORKERS, maxSpans);
  const counts = [new Int32Array(WORKERS), new Int32Array(WORKERS)];
  let t = 0;
  for (const { worker, comm, start, dt } of steps) {
    t += dt;
    const count = counts[comm ? 1 : 0]!;
    // An end with nothing running is a start instead.
    const begin = start || count[worker] === 0;
    count[worker]! += begin ? 1 : -1;
    for (const ledger of [plain, recording]) {
      if (comm) begin ? ledger.commStart(worker, t) : ledger.commEnd(worker, t);
      else begin ? ledger.computeStart(worker, t) : ledger.computeEnd(worker, t);
    }
  }
  const end = t + 0.25;
  plain.close(end);
  recording.close(end);
  return { plain, recording, end };
}

function spanTotals(ledger: RecordingTimeLedger): number[][] {
  const totals = Array.from({ length: WORKERS }, () => [0, 0, 0]);
  const { count, worker, track, start, end } = ledger.spans;
  for (let i = 0; i < count; i++) totals[worker[i]!]![track[i]!]! += end[i]! - start[i]!;
  return totals;
}

function traceOf(ledger: RecordingTimeLedger, simTime: number) {
  const recording: Recording = {
    workers: WORKERS,
    simTime,
    spans: ledger.spans,
    maxSpans: ledger.maxSpans,
    truncatedAt: ledger.truncated ? ledger.truncatedAt : undefined,
    links: { width: Number.NaN, bins: 0, series: [] },
  };
  const result = { scenario: "random", seed: 0, stopReason: "time" } as RunResult;
  return buildTrace(result, recording).traceEvents.filter((e) => e.ph === "X");
}

const close = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance;

describe("RecordingTimeLedger", () => {
  test.prop([fc.array(step, { maxLength: 200 })])(
    "charges what the ledger charges; spans add up to it",
    (steps) => {
      const { plain, recording, end } = replay(steps);
      for (const name of ["computeTime", "commTime", "idleTime", "exposedCommTime"] as const) {
        expect(Array.from(recording[name])).toEqual(Array.from(plain[name]));
      }
      const totals = spanTotals(recording);
      for (let w = 0; w < WORKERS; w++) {
        const [compute, comm, idle] = totals[w]!;
        expect(close(compute!, plain.computeTime[w]!, 1e-9 * plain.computeTime[w]! + 1e-15)).toBe(true);
        expect(close(comm!, plain.commTime[w]!, 1e-9 * plain.commTime[w]! + 1e-15)).toBe(true);
        expect(close(idle!, plain.idleTime[w]!, 1e-9 * plain.idleTime[w]! + 1e-15)).toBe(true);
        expect(
          close(plain.computeTime[w]! + plain.exposedCommTime[w]! + plain.idleTime[w]!, end, 1e-9 * end),
        ).toBe(true);
      }
    },
  );

  test.prop([fc.array(step, { maxLength: 200 })])(
    "the trace's slices never overlap on a track, in float µs or in Perfetto's whole ns",
    (steps) => {
      const { plain, recording, end } = replay(steps);
      const slices = traceOf(recording, end);
      const byTrack = new Map<number, Array<{ ts: number; dur: number }>>();
      for (const e of slices) {
        expect(e.dur!).toBeGreaterThanOrEqual(0);
        const list = byTrack.get(e.tid) ?? [];
        list.push({ ts: e.ts!, dur: e.dur! });
        byTrack.set(e.tid, list);
      }
      for (const list of byTrack.values()) {
        list.sort((a, b) => a.ts - b.ts);
        for (let i = 1; i < list.length; i++) {
          const a = list[i - 1]!;
          const b = list[i]!;
          expect(a.ts + a.dur).toBeLessThanOrEqual(b.ts);
          // Perfetto: llround(µs × 1000) for ts and for dur, separately.
          expect(Math.round(a.ts * 1000) + Math.round(a.dur * 1000)).toBeLessThanOrEqual(
            Math.round(b.ts * 1000),
          );
        }
      }
      // Written durations add up to the ledger's, give or take the sub-nanosecond gaps closed.
      const written = Array.from({ length: WORKERS }, () => [0, 0, 0]);
      for (const e of slices) written[e.pid - 1]![(e.tid - 4 * e.pid - 1) as Track]! += e.dur! / 1e6;
      for (let w = 0; w < WORKERS; w++) {
        const slack = 1e-9 * end + steps.length * 1e-9; // ≤ 1 ns per gap closed
        expect(close(written[w]![Track.compute]!, plain.computeTime[w]!, slack)).toBe(true);
        expect(close(written[w]![Track.communication]!, plain.commTime[w]!, slack)).toBe(true);
        expect(close(written[w]![Track.idle]!, plain.idleTime[w]!, slack)).toBe(true);
      }
    },
  );

  test.prop([fc.array(step, { minLength: 50, maxLength: 300 }), fc.integer({ min: 12, max: 60 })])(
    "a cap keeps at most maxSpans spans, whole timelines up to the cut, and the ledger's totals",
    (steps, maxSpans) => {
      const { plain, recording } = replay(steps, maxSpans);
      expect(recording.spans.count).toBeLessThanOrEqual(maxSpans);
      for (const name of ["computeTime", "commTime", "idleTime"] as const) {
        expect(Array.from(recording[name])).toEqual(Array.from(plain[name]));
      }
      if (!recording.truncated) return;
      const cut = recording.truncatedAt;
      // Every worker's timeline is whole up to the cut: idle plus the union of compute and
      // communication is exactly [0, cut].
      const { count, worker, track, start, end } = recording.spans;
      for (let w = 0; w < WORKERS; w++) {
        const lists: Slice[][] = [[], [], []];
        for (let i = 0; i < count; i++) {
          if (worker[i] === w) lists[track[i]!]!.push({ name: "", ts: start[i]!, dur: end[i]! - start[i]! });
        }
        for (const list of lists) list.sort((a, b) => a.ts - b.ts);
        const [compute, comm, idle] = lists as [Slice[], Slice[], Slice[]];
        const covered =
          totalDuration(compute) + totalDuration(comm) - overlapDuration(compute, comm) + totalDuration(idle);
        expect(close(covered, cut, 1e-9 * cut)).toBe(true);
        for (const list of lists) for (const s of list) expect(s.ts + s.dur).toBeLessThanOrEqual(cut);
      }
    },
  );
});
