import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../cli/load.ts";
import { describeScenario } from "../../cli/scenario-summary.ts";
import { checkScenario } from "../../sim/check.ts";
import { InputError } from "../../sim/errors.ts";
import { scenarioProblems } from "../../sim/scenario/decode.ts";
import { thisMachine } from "../fixtures/this-machine.ts";

const base = { cluster: { workers: 4 }, schedule: { kind: "allreduce", bytes: "1 MB" } };
const machine = thisMachine;
const messages = (raw: unknown) => {
  const result = checkScenario(raw, { machine });
  return result.ok ? [] : result.problems.map((p) => p.message);
};

const scenarios = join(import.meta.dirname, "../../scenarios");
const scenarioFiles = readdirSync(scenarios, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => join(scenarios, f));

describe("checkScenario", () => {
  it.each(scenarioFiles.map((f) => [f.slice(scenarios.length + 1), f]))(
    "passes scenarios/%s (presets broke no existing file)",
    (_, file) => {
      expect(messages(loadScenarioFile(file))).toEqual([]);
    },
  );

  it("builds a synchronous schedule on 10⁵ workers (its group was once copied per worker: n² memory)", () => {
    const raw = loadScenarioFile(join(scenarios, "papers/acco-heterogeneous.yaml")) as {
      cluster: { workers: number };
    };
    raw.cluster.workers = 100_000;
    expect(messages(raw)).toEqual([]);
  }, 60_000);

  it("reports every decoding problem, exactly as scenarioProblems does", () => {
    const raw = {
      cluster: { workers: 0, topology: { kind: "rung" }, device: { preset: "h10" } },
      schedule: { kind: "allreduce", bytes: "1 MB", colective: "all-reduce" },
    };
    expect(messages(raw)).toEqual(scenarioProblems(raw).map((p) => p.message));
    expect(messages(raw)).toHaveLength(4);
  });

  it("reports a disconnected random gossip graph, found only when the graph is built", () => {
    const raw = { ...base, cluster: { workers: 64, topology: { kind: "erdos-renyi", p: 0.01 } } };
    expect(scenarioProblems(raw)).toEqual([]);
    const [problem, ...rest] = messages(raw);
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /^cluster\.topology: got \{"workers":64,"components":\d+\}, expected a connected graph/,
    );
  });

  it("reports nodes that do not divide the workers, and a cable graph that strands a device", () => {
    expect(
      messages({ ...base, cluster: { workers: 12, network: { layout: "hierarchical", gpusPerNode: 8 } } }),
    ).toEqual(["cluster.network.gpusPerNode: got 8, expected a divisor of cluster.workers (12)"]);
    const stranded = {
      ...base,
      cluster: { workers: 4, network: { layout: "graph", topology: { kind: "custom", edges: [[0, 1]] } } },
    };
    expect(messages(stranded)[0]).toMatch(/^cluster\.network\.topology: .*expected a connected graph/);
  });

  it("reports a problem the schedule cannot train", () => {
    const raw = {
      cluster: { workers: 4 },
      schedule: { kind: "dadao" },
      problem: { kind: "mlp", samplesPerWorker: 20, batchSize: 4 },
      stop: { time: "1 s" },
    };
    expect(messages(raw)).toEqual([
      expect.stringMatching(/^problem\.kind: got "mlp", expected a strongly convex problem/),
    ]);
  });

  it("returns InputErrors and the decoded scenario", () => {
    const bad = checkScenario({ ...base, cluster: { workers: -1 } });
    expect(bad.ok || bad.problems.every((p) => p instanceof InputError)).toBe(true);
    const good = checkScenario(base);
    expect(good.ok && good.scenario.cluster.workers).toBe(4);
  });
});

describe("describeScenario (the line after ok)", () => {
  it("names the workers, the schedule, the problem, the topology, the devices, the network, the stop", () => {
    const result = checkScenario({
      cluster: {
        workers: 8,
        device: { preset: "h100" },
        devices: [{ worker: 0, speed: 0.5 }],
        network: { preset: "ib-200" },
      },
      schedule: { kind: "acco" },
      problem: { kind: "preset", model: "gpt-neo-125m" },
      stop: { time: "10 s" },
    });
    expect(result.ok && describeScenario(result.scenario)).toBe(
      "8 workers, schedule acco (systems), problem preset gpt-neo-125m, numerics shape, topology ring, " +
        "devices 989 TFLOP/s × 0.4 (1 overridden), switch network 25 GB/s, 1 us, alpha-beta, stop at 10 s",
    );
  });
});
