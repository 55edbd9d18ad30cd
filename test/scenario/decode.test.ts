import { describe, expect, it } from "vitest";
import { InputError } from "../../sim/errors.ts";
import { decodeScenario, decodeScenarioAll, scenarioProblems } from "../../sim/scenario/decode.ts";
import type { TrafficScheduleSpec } from "../../sim/scenario/types.ts";
import type { P2pParams } from "../../sim/traffic/p2p-traffic.ts";

/** A small valid scenario; tests spread their changes over it. */
const base = {
  cluster: { workers: 4 },
  schedule: { kind: "allreduce", bytes: "1 GB" },
};

function problems(raw: unknown): string[] {
  const result = decodeScenarioAll(raw);
  return result.ok ? [] : result.problems.map((p) => p.message);
}

function firstProblem(raw: unknown): string {
  try {
    decodeScenario(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error("expected a problem, the scenario decoded");
}

describe("decodeScenario: defaults", () => {
  it("fills every default, in SI units", () => {
    const s = decodeScenario(base, { defaultName: "from-file" });
    expect(s.name).toBe("from-file");
    expect(s.seed).toBe(1);
    expect(s.cluster.topology).toEqual({ kind: "ring" });
    expect(s.cluster.device).toEqual({
      peakFlops: 1e14,
      efficiency: 0.5,
      memoryBandwidth: 2e12,
      memory: 8e10,
      speed: 1,
      duration: "deterministic",
      cv: 0.1,
      launchOverhead: 0,
    });
    expect(s.cluster.devices).toEqual([]);
    expect(s.cluster.stragglers).toEqual({ episodes: [] });
    expect(s.cluster.failures).toEqual([]);
    expect(s.cluster.network).toEqual({
      layout: "switch",
      model: "alpha-beta",
      bandwidth: 1.25e9,
      latency: 5e-6,
      duplex: "full",
    });
    expect(s.schedule).toEqual({
      kind: "allreduce",
      trains: false,
      spec: {
        count: 1,
        bytes: 1e9,
        collective: "all-reduce",
        algorithm: "ring",
        group: [0, 1, 2, 3],
        gap: 0,
      },
    });
    expect(s.stop).toEqual({});
  });

  it("fills hierarchical network defaults and torus dimensions", () => {
    const s = decodeScenario({
      ...base,
      cluster: { workers: 16, topology: { kind: "torus" }, network: { layout: "hierarchical" } },
    });
    expect(s.cluster.topology).toEqual({ kind: "torus", rows: 4, cols: 4 });
    expect(s.cluster.network).toMatchObject({
      layout: "hierarchical",
      gpusPerNode: 8,
      intraBandwidth: 3e11,
      intraLatency: 1e-6,
    });
    const t = decodeScenario({ ...base, cluster: { workers: 12, topology: { kind: "torus", cols: 6 } } });
    expect(t.cluster.topology).toEqual({ kind: "torus", rows: 2, cols: 6 });
  });

  it("decodes gossip-timing with either computeTime or flops", () => {
    const timed = decodeScenario({
      ...base,
      schedule: { kind: "gossip-timing", computeTime: "10 ms", bytes: "10 MB" },
      stop: { time: "10 s" },
    });
    expect(timed.schedule).toEqual({
      kind: "gossip-timing",
      trains: false,
      spec: { compute: { kind: "time", seconds: 0.01 }, rate: 1, bytes: 1e7 },
    });
    const counted = decodeScenario({
      ...base,
      schedule: { kind: "gossip-timing", flops: "1 TFLOP", bytes: 0, rate: 2 },
      stop: { time: 1 },
    });
    expect(counted.schedule).toEqual({
      kind: "gossip-timing",
      trains: false,
      spec: { compute: { kind: "flops", flops: 1e12 }, rate: 2, bytes: 0 },
    });
  });

  it("sorts failures and p2p transfers by time", () => {
    const s = decodeScenario({
      cluster: {
        workers: 4,
        failures: [
          { worker: 2, at: "5 s" },
          { worker: 1, at: "3 s", duration: "1 s" },
          { worker: 1, at: "1 s", duration: "1 s" },
        ],
      },
      schedule: {
        kind: "p2p",
        transfers: [
          { src: 0, dst: 1, bytes: 1, at: "2 s" },
          { src: 1, dst: 2, bytes: 1 },
        ],
      },
    });
    expect(s.cluster.failures.map((f) => [f.worker, f.at])).toEqual([
      [1, 1],
      [1, 3],
      [2, 5],
    ]);
    expect((s.schedule as TrafficScheduleSpec & { spec: P2pParams }).spec.transfers.map((t) => t.at)).toEqual(
      [0, 2],
    );
  });
});

describe("decodeScenario: errors", () => {
  it("rejects an unknown field with a did-you-mean", () => {
    expect(firstProblem({ ...base, cluster: { workers: 4, wrkers: 3 } })).toBe(
      'cluster.wrkers: got 3, expected no such field (did you mean "workers"?)',
    );
    expect(firstProblem({ ...base, stop: { evnts: 5 } })).toBe(
      'stop.evnts: got 5, expected no such field (did you mean "events"?)',
    );
    expect(firstProblem({ ...base, colour: "blue" })).toMatch(
      /^colour: got "blue", expected no such field \(known here: name, seed, /,
    );
  });

  it("rejects a negative bandwidth, naming the accepted forms", () => {
    expect(firstProblem({ ...base, cluster: { workers: 4, network: { bandwidth: "-1 Gb/s" } } })).toMatch(
      /^cluster\.network\.bandwidth: got "-1 Gb\/s", expected a positive bandwidth such as "10 Gb\/s"/,
    );
  });

  it("rejects a wrong kind with the list of kinds and a suggestion", () => {
    expect(firstProblem({ ...base, cluster: { workers: 4, topology: { kind: "rung" } } })).toMatch(
      /^cluster\.topology\.kind: got "rung", expected one of ring \| torus \| .* \| time-varying \(did you mean "ring"\?\)$/,
    );
    expect(firstProblem({ ...base, schedule: { kind: "allreduc", bytes: 1 } })).toBe(
      'schedule.kind: got "allreduc", expected one of allreduce | p2p | gossip-timing | gossip | a2cid2 | dadao | allreduce-sgd | zero1 | dpu | acco (did you mean "allreduce"?)',
    );
    expect(firstProblem({ ...base, cluster: { workers: 4, network: { duplex: "ful" } } })).toBe(
      'cluster.network.duplex: got "ful", expected one of full | half (did you mean "full"?)',
    );
  });

  it("rejects fields of another kind, and reports missing ones", () => {
    expect(firstProblem({ ...base, cluster: { workers: 4, topology: { kind: "ring", degree: 3 } } })).toMatch(
      /^cluster\.topology\.degree: got 3, expected no such field/,
    );
    expect(firstProblem({ ...base, cluster: { workers: 4, topology: { kind: "random-regular" } } })).toBe(
      "cluster.topology.degree: got nothing, expected an integer ≥ 1",
    );
    expect(firstProblem({ cluster: { workers: 4 } })).toBe(
      "schedule: got nothing, expected an object with kind: allreduce | p2p | gossip-timing | gossip | a2cid2 | dadao | allreduce-sgd | zero1 | dpu | acco",
    );
  });

  it("rejects out-of-range workers", () => {
    expect(firstProblem({ ...base, cluster: { workers: 4, devices: [{ worker: 4, speed: 0.5 }] } })).toBe(
      "cluster.devices.0.worker: got 4, expected a worker id < cluster.workers (4)",
    );
    expect(firstProblem({ ...base, cluster: { workers: 4, failures: [{ worker: 9, at: 0 }] } })).toBe(
      "cluster.failures.0.worker: got 9, expected a worker id < cluster.workers (4)",
    );
    expect(firstProblem({ ...base, schedule: { ...base.schedule, group: [0, 5] } })).toBe(
      "schedule.group.1: got 5, expected a worker id < cluster.workers (4)",
    );
    expect(firstProblem({ ...base, schedule: { ...base.schedule, group: [0, 1, 1] } })).toBe(
      "schedule.group.2: got 1, expected a worker not already in the group",
    );
  });

  it("requires stop.time where a schedule would run forever", () => {
    expect(
      firstProblem({ ...base, schedule: { kind: "gossip-timing", computeTime: "1 ms", bytes: 1 } }),
    ).toMatch(/^stop\.time: got nothing, expected a positive time .* \(required for gossip-timing\)$/);
    const random = { kind: "p2p", random: { bytes: "1 MB", rate: 10 } };
    expect(firstProblem({ ...base, schedule: random })).toMatch(/^stop\.time: got nothing/);
    expect(problems({ ...base, schedule: { ...random, random: { ...random.random, count: 5 } } })).toEqual(
      [],
    );
  });

  it("checks fields that depend on each other", () => {
    expect(
      firstProblem({ ...base, schedule: { kind: "gossip-timing", bytes: 1 }, stop: { time: 1 } }),
    ).toMatch(
      /^schedule\.computeTime: got nothing, expected a positive time .*, or schedule\.flops instead$/,
    );
    expect(firstProblem({ ...base, cluster: { workers: 4, network: { layout: "graph" } } })).toBe(
      "cluster.network.topology: got nothing, expected the physical cable graph (required when layout is graph)",
    );
    expect(firstProblem({ ...base, cluster: { workers: 4, network: { gpusPerNode: 2 } } })).toBe(
      "cluster.network.gpusPerNode: got 2, expected no gpusPerNode unless layout is hierarchical",
    );
    expect(firstProblem({ ...base, cluster: { workers: 12, topology: { kind: "hypercube" } } })).toMatch(
      /^cluster\.topology\.kind: got "hypercube", expected a kind that fits cluster\.workers = 12/,
    );
    expect(firstProblem({ ...base, cluster: { workers: 12, topology: { kind: "torus", rows: 5 } } })).toBe(
      "cluster.topology.rows: got 5, expected a divisor of cluster.workers (12)",
    );
    expect(
      firstProblem({
        ...base,
        cluster: {
          workers: 4,
          stragglers: { episodes: [{ worker: 1, factor: 2, start: "2 s", end: "1 s" }] },
        },
      }),
    ).toBe('cluster.stragglers.episodes.0.end: got "1 s", expected a time after start (2 s)');
    expect(
      firstProblem({
        ...base,
        cluster: {
          workers: 4,
          failures: [
            { worker: 1, at: "1 s" },
            { worker: 1, at: "5 s" },
          ],
        },
      }),
    ).toMatch(/^cluster\.failures\.1\.at: got "5 s", expected a time after worker 1 is back/);
  });

  it("reports every problem of a file at once, each on one line", () => {
    const all = problems({
      cluster: { workers: 0, network: { bandwidth: "fast", duplex: "ful" }, device: { efficiency: 2 } },
      schedule: { kind: "allreduce", bytes: "1 GB", count: 0 },
      seed: -1,
    });
    expect(all).toEqual([
      "seed: got -1, expected an integer ≥ 0",
      "cluster.workers: got 0, expected an integer in [1, 1000000]",
      "cluster.device.efficiency: got 2, expected a number in (0, 1] (magnitude 1e-100 to 1e100 unless 0)",
      expect.stringMatching(/^cluster\.network\.bandwidth: got "fast", expected a positive bandwidth/),
      'cluster.network.duplex: got "ful", expected one of full | half (did you mean "full"?)',
      "schedule.count: got 0, expected an integer ≥ 1",
    ]);
    for (const line of all) expect(line).not.toContain("\n");
  });

  it("scenarioProblems lists the problems, and nothing for a valid scenario", () => {
    expect(scenarioProblems(base)).toEqual([]);
    const listed = scenarioProblems({ ...base, seed: "x", stop: { time: -1 } });
    expect(listed.map((p) => p.path)).toEqual(["seed", "stop.time"]);
    for (const problem of listed) expect(problem).toBeInstanceOf(InputError);
  });

  it("rejects a top level that is not an object", () => {
    expect(firstProblem("hello")).toMatch(
      /^scenario: got "hello", expected an object with fields name, seed, cluster/,
    );
    expect(firstProblem([1, 2])).toMatch(/^scenario: got \[1,2\], expected an object/);
  });
});
