import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeRunOutputs } from "../../cli/output/index.ts";
import { buildTrace, type ChromeTrace, traceChunks } from "../../cli/output/trace.ts";
import { type RecordOptions, recordingOf } from "../../sim/metrics/recording.ts";
import type { RunResult } from "../../sim/result.ts";
import { runScenario } from "../../sim/run.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import { allreduce, gossipTiming, training } from "./scenarios.ts";
import {
  type CheckedTrace,
  checkTrace,
  counterIntegral,
  overlapDuration,
  totalDuration,
} from "./trace-format.ts";

/**
 * trace.json from recorded runs: valid Trace Event format with Perfetto's one-slice-at-a-time tracks,
 * slices that add up to the result's time accounting, link counters that add up to the bytes the links
 * carried, a recording that changes nothing, and the span cap.
 */

function recorded(
  scenario: Scenario,
  record: true | RecordOptions = true,
): { result: RunResult; trace: ChromeTrace } {
  const result = runScenario(scenario, { record });
  const recording = recordingOf(result);
  if (recording === undefined) throw new Error("no recording");
  return { result, trace: buildTrace(result, recording) };
}

/** Through the same text the CLI writes, so that what is checked is what Perfetto reads. */
function parsed(trace: ChromeTrace): CheckedTrace {
  return checkTrace(JSON.parse([...traceChunks(trace, 1000)].join("")));
}

function expectClose(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.abs(expected) + 1e-15,
  );
}

/** The slices of one worker's track, in seconds. */
function trackOf(checked: CheckedTrace, worker: number, name: string) {
  const pid = worker + 1;
  const entry = [...checked.threadNames].find(
    ([track, thread]) => track.startsWith(`${pid}/`) && thread === name,
  );
  if (entry === undefined) throw new Error(`no ${name} thread for worker ${worker}`);
  return (checked.slices.get(entry[0]) ?? []).map((s) => ({ ...s, ts: s.ts / 1e6, dur: s.dur / 1e6 }));
}

const runs: Array<[string, () => Scenario]> = [
  ["gossip-timing (alpha-beta)", () => gossipTiming("alpha-beta")],
  ["gossip-timing (flow)", () => gossipTiming("flow")],
  ["allreduce", allreduce],
  ["training (series, flow)", training],
];

describe("trace.json", () => {
  it.each(runs)("%s: valid, and its slices add up to the result's times", (_, make) => {
    const { result, trace } = recorded(make());
    const checked = parsed(trace);
    const workers = result.workers.length;
    // One process per worker and one for the network, each named.
    for (let w = 0; w < workers; w++) expect(checked.processNames.get(w + 1)).toBe(`worker ${w}`);
    expect(checked.processNames.get(workers + 1)).toBe("network");
    for (const worker of result.workers) {
      const compute = trackOf(checked, worker.id, "compute");
      const comm = trackOf(checked, worker.id, "communication");
      const idle = trackOf(checked, worker.id, "idle");
      expect(compute.every((s) => s.name === "compute") && idle.every((s) => s.name === "idle")).toBe(true);
      expectClose(totalDuration(compute), worker.computeTime, `worker ${worker.id} compute`);
      expectClose(totalDuration(comm), worker.commTime, `worker ${worker.id} communication`);
      expectClose(totalDuration(idle), worker.idleTime, `worker ${worker.id} idle`);
      const exposed = totalDuration(comm) - overlapDuration(compute, comm);
      expectClose(exposed, worker.exposedCommTime, `worker ${worker.id} exposed communication`);
      // Idle is exactly what neither compute nor communication covers.
      expect(overlapDuration(idle, compute) + overlapDuration(idle, comm)).toBeLessThan(
        1e-12 * result.simTime,
      );
      expectClose(worker.computeTime + exposed + totalDuration(idle), result.simTime, "timeline");
    }
    expect(checked.otherData.truncated).toBeUndefined();
  });

  it("shows each compute and each collective as its own slice", () => {
    // Back-to-back computes (gossip) and back-to-back collectives touch but are not merged.
    const gossip = parsed(recorded(gossipTiming()).trace);
    const { result } = recorded(gossipTiming());
    const slices = trackOf(gossip, 0, "compute");
    expect(slices.length).toBeGreaterThanOrEqual(result.workers[0]!.counts.gradients!);
    const collectives = parsed(recorded(allreduce()).trace);
    const comm = trackOf(collectives, 0, "communication");
    expect(comm).toHaveLength(4);
    expect(trackOf(collectives, 0, "idle")).toHaveLength(3); // the gaps
  });

  it.each(runs)("%s: link counters carry exactly the bytes the links carried", (_, make) => {
    const { result, trace } = recorded(make());
    const checked = parsed(trace);
    const links = (
      checked.otherData.linkCounters as { links: Array<{ id: number; name: string; capacity: number }> }
    ).links;
    expect(links.length).toBeGreaterThan(0);
    let total = 0;
    for (const link of links) {
      const samples = checked.counters.get(`link ${link.id} ${link.name} utilisation`);
      expect(samples, link.name).toBeDefined();
      for (const sample of samples!) expect(sample.value).toBeGreaterThanOrEqual(0);
      // utilisation × capacity is bytes/s: its integral over the run is the link's bytes.
      total += counterIntegral(samples!, result.simTime * 1e6) * 1e-6 * link.capacity;
    }
    expectClose(total, result.network.linkBytesTotal, "bytes over all links");
  });

  it("the counters sit on a regular grid and read 1 where a link carries one transfer at full rate", () => {
    // A ring all-reduce on α-β: each uplink sends one message at a time, at the NIC's full rate.
    const { result, trace } = recorded(allreduce());
    const checked = parsed(trace);
    const { binWidth, bins } = checked.otherData.linkCounters as { binWidth: number; bins: number };
    expect(bins).toBeGreaterThanOrEqual(250); // bins/2 to bins of the default 500 in use
    expect(bins).toBeLessThanOrEqual(500);
    expect(bins * binWidth).toBeGreaterThanOrEqual(result.simTime);
    for (const [name, samples] of checked.counters) {
      for (const { ts, value } of samples) {
        const k = ts / 1e6 / binWidth;
        expect(Math.abs(k - Math.round(k)) < 1e-6 || ts === result.simTime * 1e6).toBe(true);
        expect(value, name).toBeLessThanOrEqual(1 + 1e-9);
      }
      expect(Math.max(...samples.map((s) => s.value)), name).toBeGreaterThan(1 - 1e-9);
    }
  });

  it.each(runs)("%s: recording changes nothing in the result", (_, make) => {
    const strip = ({ wallTime: _w, eventsPerSecond: _e, ...rest }: RunResult) => rest;
    const plain = runScenario(make());
    const withTrace = runScenario(make(), { record: true });
    expect(strip(withTrace)).toEqual(strip(plain));
    expect(recordingOf(plain)).toBeUndefined();
  });
});

describe("the span cap", () => {
  it("cuts every timeline at one time T, keeps them whole up to T, and says so", () => {
    const maxSpans = 300;
    const { result, trace } = recorded(gossipTiming("alpha-beta", "2 s"), { maxSpans });
    const checked = parsed(trace);
    const spans = [...checked.slices.values()].reduce((n, list) => n + list.length, 0);
    expect(spans).toBeLessThanOrEqual(maxSpans);
    expect(spans).toBeGreaterThan(maxSpans / 2);
    const truncated = checked.otherData.truncated as { at: number; maxSpans: number };
    expect(truncated.maxSpans).toBe(maxSpans);
    expect(truncated.at).toBeGreaterThan(0);
    expect(truncated.at).toBeLessThan(result.simTime);
    for (const worker of result.workers) {
      const compute = trackOf(checked, worker.id, "compute");
      const comm = trackOf(checked, worker.id, "communication");
      const idle = trackOf(checked, worker.id, "idle");
      const covered = totalDuration(compute) + totalDuration(comm) - overlapDuration(compute, comm);
      expectClose(covered + totalDuration(idle), truncated.at, `worker ${worker.id} up to the cut`);
    }
    const marker = trace.traceEvents.find((e) => e.ph === "i");
    expect(marker?.ts).toBe(truncated.at * 1e6);
    // The result itself is whole.
    expect(result.workers[0]!.computeTime).toBe(result.simTime);
  });

  it("the CLI's writer warns once on stderr when the cap was hit, and not otherwise", () => {
    const dir = mkdtempSync(join(tmpdir(), "dtsim-trace-"));
    const warnings: string[] = [];
    const result = runScenario(gossipTiming(), { record: { maxSpans: 100 } });
    writeRunOutputs({ dir, result }, (line) => warnings.push(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^warning: trace\.json stops at \S+ m?s of the run's 500 ms \(more than 100 spans\); result\.json/,
    );
    expect(warnings[0]).not.toContain("\n");
    checkTrace(JSON.parse(readFileSync(join(dir, "trace.json"), "utf8")));

    const whole = runScenario(gossipTiming(), { record: true });
    writeRunOutputs({ dir, result: whole }, (line) => warnings.push(line));
    expect(warnings).toHaveLength(1);
  });

  it("bounds the file of a long run", () => {
    // 40 simulated seconds of gossip: ~ 45 000 spans uncapped; 5 000 allowed.
    const dir = mkdtempSync(join(tmpdir(), "dtsim-trace-"));
    const result = runScenario(gossipTiming("alpha-beta", "40 s"), { record: { maxSpans: 5000 } });
    writeRunOutputs({ dir, result }, () => {});
    const bytes = statSync(join(dir, "trace.json")).size;
    // ~100 bytes per span, plus the link counters (≤ 500 per link) and their description.
    expect(bytes).toBeLessThan(5000 * 120 + 16 * 501 * 130 + 20_000);
  });
});
