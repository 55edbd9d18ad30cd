import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dtsim } from "./dtsim.ts";

/**
 * End to end through the engine (sim/run.ts): each core scenario with --json, checked against the
 * JSON contract. Needs the whole simulator; the tests of cli.test.ts do not.
 */
const WORKER_KEYS = ["id", "computeTime", "commTime", "idleTime", "bytesSent", "bytesReceived"];

function parseOneObject(stdout: string): Record<string, unknown> {
  const value: unknown = JSON.parse(stdout);
  expect(typeof value === "object" && value !== null && !Array.isArray(value)).toBe(true);
  return value as Record<string, unknown>;
}

describe.concurrent("dtsim run (end to end)", () => {
  it.each(["allreduce", "p2p", "gossip-timing"])("%s --json prints one result object", async (name) => {
    const outcome = await dtsim(["run", `scenarios/core/${name}.yaml`, "--json"]);
    expect(outcome.stderr).toBe("");
    expect(outcome.status).toBe(0);
    const result = parseOneObject(outcome.stdout);
    expect(result.scenario).toBe(name);
    for (const key of ["simTime", "events", "wallTime", "eventsPerSecond"]) {
      expect(typeof result[key], key).toBe("number");
    }
    expect(result.simTime as number).toBeGreaterThan(0);
    expect(result.events as number).toBeGreaterThan(0);
    const workers = result.workers as Array<Record<string, unknown>>;
    expect(workers.length).toBeGreaterThan(0);
    workers.forEach((worker, i) => {
      for (const key of WORKER_KEYS) expect(typeof worker[key], `workers[${i}].${key}`).toBe("number");
      expect(worker.id).toBe(i);
      // Counts are flattened into the worker: no nested object left.
      expect(worker).not.toHaveProperty("counts");
    });
  });

  it("gossip-timing counts gradients and exchanges per worker", async () => {
    const outcome = await dtsim([
      "run",
      "scenarios/core/gossip-timing.yaml",
      "--json",
      "--set",
      "cluster.workers=8",
    ]);
    expect(outcome.status).toBe(0);
    const workers = parseOneObject(outcome.stdout).workers as Array<Record<string, unknown>>;
    expect(workers).toHaveLength(8);
    for (const worker of workers) {
      expect(worker.gradients as number).toBeGreaterThan(0);
      expect(worker.exchanges as number).toBeGreaterThan(0);
    }
  });

  it("prints a readable summary, and --out writes result.json", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "dtsim-out-")), "nested", "dir");
    const outcome = await dtsim(["run", "scenarios/core/allreduce.yaml", "--out", out, "--seed", "5"]);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toMatch(/^allreduce \(seed 5\)/);
    expect(outcome.stdout).toContain("simulated");
    expect(outcome.stdout).toContain("all-reduce");
    const written = JSON.parse(readFileSync(join(out, "result.json"), "utf8")) as Record<string, unknown>;
    expect(written.seed).toBe(5);
    expect(existsSync(join(out, "scenario.json"))).toBe(true);
  });

  it("is deterministic: the same seed gives the same result", async () => {
    const args = [
      "run",
      "scenarios/core/gossip-timing.yaml",
      "--json",
      "--set",
      "cluster.workers=8",
      "--set",
      "stop.time=1 s",
    ];
    const [a, b] = await Promise.all([dtsim(args), dtsim(args)]);
    const strip = (stdout: string) => {
      const { wallTime: _w, eventsPerSecond: _e, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
      return rest;
    };
    expect(strip(a.stdout)).toEqual(strip(b.stdout));
  });

  it("an InputError raised while building the cluster is bad input too: exit 2, one line", async () => {
    const outcome = await dtsim([
      "run",
      "scenarios/core/allreduce.yaml",
      "--set",
      "cluster.network.layout=hierarchical",
      "--set",
      "cluster.network.gpusPerNode=3",
    ]);
    expect(outcome.status).toBe(2);
    expect(outcome.stdout).toBe("");
    expect(outcome.stderr).toMatch(/^cluster\.network\.gpusPerNode: got 3, expected .*\n$/);
  });
});
