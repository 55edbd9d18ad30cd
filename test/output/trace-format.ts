import { expect } from "vitest";

/**
 * Checks a parsed trace.json against the Chrome Trace Event format as Perfetto reads it, and returns
 * its "X" slices by track ("pid/tid"), sorted by start, and its counters by name. Throws (through
 * `expect`) on the first violation.
 */

export interface Slice {
  readonly name: string;
  readonly ts: number;
  readonly dur: number;
}

export interface CounterSample {
  readonly ts: number;
  readonly value: number;
}

export interface CheckedTrace {
  readonly slices: Map<string, Slice[]>;
  readonly counters: Map<string, CounterSample[]>;
  readonly processNames: Map<number, string>;
  readonly threadNames: Map<string, string>;
  readonly otherData: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isId = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 1;
const isTime = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value >= 0;

export function checkTrace(trace: unknown): CheckedTrace {
  if (!isObject(trace)) throw new Error("trace.json is not an object");
  expect(Array.isArray(trace.traceEvents)).toBe(true);
  expect(trace.displayTimeUnit).toBe("ms");
  const slices = new Map<string, Slice[]>();
  const counters = new Map<string, CounterSample[]>();
  const processNames = new Map<number, string>();
  const threadNames = new Map<string, string>();
  const pidsUsed = new Set<number>();
  for (const event of trace.traceEvents as unknown[]) {
    if (!isObject(event)) throw new Error(`not an event: ${JSON.stringify(event)}`);
    const where = JSON.stringify(event);
    expect(typeof event.name === "string" && event.name.length > 0, where).toBe(true);
    expect(isId(event.pid), where).toBe(true);
    expect(isId(event.tid), where).toBe(true);
    const pid = event.pid as number;
    const track = `${pid}/${event.tid as number}`;
    pidsUsed.add(pid);
    switch (event.ph) {
      case "X": {
        expect(isTime(event.ts), where).toBe(true);
        expect(isTime(event.dur), where).toBe(true); // dur ≥ 0
        const list = slices.get(track) ?? [];
        list.push({ name: event.name as string, ts: event.ts as number, dur: event.dur as number });
        slices.set(track, list);
        break;
      }
      case "C": {
        expect(isTime(event.ts), where).toBe(true);
        expect(isObject(event.args), where).toBe(true);
        const args = Object.entries(event.args as Json);
        expect(args.length, where).toBeGreaterThan(0);
        for (const [key, value] of args) {
          expect(typeof value === "number" && Number.isFinite(value), where).toBe(true);
          const name = `${event.name as string} ${key}`;
          const list = counters.get(name) ?? [];
          list.push({ ts: event.ts as number, value: value as number });
          counters.set(name, list);
        }
        break;
      }
      case "M": {
        expect(isObject(event.args), where).toBe(true);
        const args = event.args as Json;
        if (event.name === "process_name" || event.name === "thread_name") {
          expect(typeof args.name, where).toBe("string");
          if (event.name === "process_name") processNames.set(pid, args.name as string);
          else threadNames.set(track, args.name as string);
        } else {
          expect(["process_sort_index", "thread_sort_index"], where).toContain(event.name);
          expect(Number.isSafeInteger(args.sort_index), where).toBe(true);
        }
        break;
      }
      case "i":
        expect(isTime(event.ts), where).toBe(true);
        expect(["g", "p", "t"], where).toContain(event.s);
        break;
      default:
        throw new Error(`unexpected phase in ${where}`);
    }
  }
  for (const pid of pidsUsed) expect(processNames.has(pid), `process_name of pid ${pid}`).toBe(true);
  for (const [track, list] of slices) {
    expect(threadNames.has(track), `thread_name of ${track}`).toBe(true);
    list.sort((a, b) => a.ts - b.ts);
    // Perfetto's rule: the slices of one track never overlap (touching is fine).
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1]!;
      expect(before.ts + before.dur, `${track}: slice ${i - 1} overlaps slice ${i}`).toBeLessThanOrEqual(
        list[i]!.ts,
      );
    }
  }
  for (const list of counters.values()) list.sort((a, b) => a.ts - b.ts);
  return { slices, counters, processNames, threadNames, otherData: (trace.otherData ?? {}) as Json };
}

/** Total length of sorted, disjoint slices. */
export function totalDuration(slices: ReadonlyArray<Slice>): number {
  return slices.reduce((sum, s) => sum + s.dur, 0);
}

/** Length of the intersection of two sorted lists of disjoint slices. */
export function overlapDuration(a: ReadonlyArray<Slice>, b: ReadonlyArray<Slice>): number {
  let i = 0;
  let j = 0;
  let total = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const lo = Math.max(x.ts, y.ts);
    const hi = Math.min(x.ts + x.dur, y.ts + y.dur);
    if (hi > lo) total += hi - lo;
    if (x.ts + x.dur < y.ts + y.dur) i++;
    else j++;
  }
  return total;
}

/** ∫ of a counter's step function over [first sample, end]. */
export function counterIntegral(samples: ReadonlyArray<CounterSample>, end: number): number {
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const until = i + 1 < samples.length ? samples[i + 1]!.ts : end;
    total += samples[i]!.value * (until - samples[i]!.ts);
  }
  return total;
}
