import { describe, expect, it } from "vitest";
import { formatPresets } from "../../cli/commands/presets.ts";
import { defaultText, formatSchedules } from "../../cli/commands/schedules.ts";
import { modelPresetRegistry } from "../../sim/problems/model-presets.ts";
import { scheduleKinds } from "../../sim/scenario/reference.ts";
import { devicePresetRegistry } from "../../sim/scenario/registry/device-presets.ts";
import { networkPresetRegistry } from "../../sim/scenario/registry/network-presets.ts";
import { isTraining } from "../../sim/scenario/resolve/schedule.ts";
import { dtsim, type Outcome, tempFile, VALID_YAML } from "../cli/dtsim.ts";

const lines = (text: string) => text.split("\n").filter((line) => line !== "");

/** Bad input: exit 2, nothing on stdout, `count` lines on stderr, no stack. */
function expectProblems(outcome: Outcome, count: number): string[] {
  expect(outcome.status).toBe(2);
  expect(outcome.stdout).toBe("");
  expect(outcome.stderr).not.toContain("    at ");
  expect(lines(outcome.stderr)).toHaveLength(count);
  return lines(outcome.stderr);
}

const BAD_YAML = `
cluster:
  workers: 6
  topology: { kind: rung }
  device: { preset: h10, peakFlop: 3 }
  network: { preset: ib-200, bandwith: 1 }
schedule: { kind: allreduce, bytes: 1 MB, collective: all-reduse }
`;

describe.concurrent("dtsim check", () => {
  it("a good file: exit 0, one ok line naming what it amounts to", async () => {
    const file = tempFile("good.yaml", VALID_YAML);
    const outcome = await dtsim(["check", file]);
    expect(outcome.status).toBe(0);
    expect(outcome.stderr).toBe("");
    expect(outcome.stdout).toBe(
      `${file}: ok (4 workers, schedule allreduce, topology ring, devices 100 TFLOP/s × 0.5, ` +
        "switch network 1.25 GB/s, 5 us, alpha-beta, no time limit)\n",
    );
  });

  it("a bad file: exit 2, every problem on its own line, with did-you-means", async () => {
    const file = tempFile("bad.yaml", BAD_YAML);
    const problems = expectProblems(await dtsim(["check", file]), 5);
    for (const line of problems) expect(line.startsWith(`${file}: `)).toBe(true);
    expect(problems).toContain(
      `${file}: cluster.device.peakFlop: got 3, expected no such field (did you mean "peakFlops"?)`,
    );
    expect(problems.join("\n")).toContain(
      'cluster.device.preset: got "h10", expected one of a100 | h100 | laptop',
    );
    for (const hint of ['"ring"', '"h100"', '"bandwidth"', '"all-reduce"']) {
      expect(problems.some((line) => line.includes(`did you mean ${hint}?`))).toBe(true);
    }
  });

  it("problems found only while building: a disconnected gossip graph, nodes that do not fit", async () => {
    const disconnected = tempFile(
      "er.yaml",
      "cluster: { workers: 64, topology: { kind: erdos-renyi, p: 0.01 } }\n" +
        "schedule: { kind: gossip-timing, computeTime: 1 ms, bytes: 1 MB }\nstop: { time: 1 s }\n",
    );
    const [line] = expectProblems(await dtsim(["check", disconnected]), 1);
    expect(line).toMatch(/: cluster\.topology: got .*, expected a connected graph/);
    const nodes = tempFile(
      "nodes.yaml",
      VALID_YAML.replace("workers: 4", "workers: 12\n  network: { layout: hierarchical }"),
    );
    expect(expectProblems(await dtsim(["check", nodes]), 1)[0]).toBe(
      `${nodes}: cluster.network.gpusPerNode: got 8, expected a divisor of cluster.workers (12)`,
    );
  });

  it("several files: an ok line for each good one, the problems of the bad ones, exit 2", async () => {
    const good = tempFile("a.yaml", VALID_YAML);
    const bad = tempFile("b.yaml", VALID_YAML.replace("workers: 4", "workers: 0"));
    const outcome = await dtsim(["check", good, bad]);
    expect(outcome.status).toBe(2);
    expect(lines(outcome.stdout)).toEqual([expect.stringMatching(new RegExp(`^${good}: ok \\(`))]);
    expect(lines(outcome.stderr)).toEqual([
      `${bad}: cluster.workers: got 0, expected an integer in [1, 1000000]`,
    ]);
  });

  it("--set applies before checking; a missing file is one line", async () => {
    const file = tempFile("set.yaml", VALID_YAML);
    const outcome = await dtsim(["check", file, "--set", "cluster.device.preset=a100"]);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toContain("devices 312 TFLOP/s × 0.5");
    const [line] = expectProblems(await dtsim(["check", "no-such-file.yaml"]), 1);
    expect(line).toContain("expected a readable scenario file (no such file)");
  });
});

describe.concurrent("dtsim schedules and dtsim presets", () => {
  it("schedules prints what formatSchedules builds from the schema", async () => {
    const outcome = await dtsim(["schedules"]);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe(formatSchedules());
  });

  it("schedules KIND prints one kind; an unknown one is exit 2 with a did-you-mean", async () => {
    const one = await dtsim(["schedules", "dadao"]);
    expect(one.status).toBe(0);
    expect(one.stdout).toBe(formatSchedules("dadao"));
    const [line] = expectProblems(await dtsim(["schedules", "acc"]), 1);
    expect(line).toMatch(/^KIND: got "acc", expected a schedule kind: .* \(did you mean "acco"\?\)$/);
  });

  it("presets prints every device, network and model preset", async () => {
    const outcome = await dtsim(["presets"]);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe(formatPresets());
  });
});

describe("formatSchedules", () => {
  const text = formatSchedules();

  it("lists every schedule kind with its summary, the workloads before the training schedules", () => {
    const kinds = scheduleKinds();
    const heading = text.indexOf("Training schedules");
    for (const kind of kinds) {
      const at = text.indexOf(`\n${kind.kind}: ${kind.summary}\n`);
      expect(at, kind.kind).toBeGreaterThan(-1);
      expect(at < heading, kind.kind).toBe(!isTraining(kind));
    }
  });

  it("lists each kind's parameters with their defaults and descriptions, from the schema", () => {
    for (const kind of scheduleKinds()) {
      const section = formatSchedules(kind.kind);
      for (const field of kind.fields) {
        const row = lines(section).find((line) => line.trim().startsWith(`${field.path} `));
        expect(row, `${kind.kind}.${field.path}`).toBeDefined();
        expect(row).toContain(defaultText(field));
        expect(row).toContain(field.description);
      }
    }
  });
});

describe("formatPresets", () => {
  const text = formatPresets();
  const row = (name: string) => lines(text).find((line) => line.startsWith(`${name} `)) ?? "";

  it("has a row for every preset, with its numbers", () => {
    for (const p of devicePresetRegistry.entries()) {
      for (const cell of [p.peakFlops, String(p.efficiency), p.memoryBandwidth, p.memory]) {
        expect(row(p.kind)).toContain(cell);
      }
    }
    for (const p of networkPresetRegistry.entries()) {
      expect(row(p.kind)).toContain(p.bandwidth);
      expect(row(p.kind)).toContain(p.latency);
    }
    for (const p of modelPresetRegistry.entries()) expect(row(p.kind)).toContain(p.name);
  });
});
