import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { decodeScenario, decodeScenarioAll } from "../../sim/scenario/decode.ts";
import type { P2pParams } from "../../sim/traffic/p2p-traffic.ts";

const dir = join(import.meta.dirname, "../../scenarios/core");
const load = (name: string) => parse(readFileSync(join(dir, name), "utf8")) as unknown;

describe("scenarios/core", () => {
  it.each(readdirSync(dir).filter((f) => f.endsWith(".yaml")))("%s decodes without problems", (file) => {
    const result = decodeScenarioAll(load(file));
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([]);
  });

  it("allreduce.yaml: 8 workers on a 100 Gb/s switch, 10 ring all-reduces of 1 GB", () => {
    const s = decodeScenario(load("allreduce.yaml"));
    expect(s.cluster.workers).toBe(8);
    expect(s.cluster.network).toMatchObject({ layout: "switch", bandwidth: 1.25e10 });
    expect(s.schedule).toMatchObject({
      kind: "allreduce",
      spec: { count: 10, bytes: 1e9, algorithm: "ring" },
    });
  });

  it("p2p.yaml: explicit transfers plus a random stream on the flow model", () => {
    const s = decodeScenario(load("p2p.yaml"));
    expect(s.cluster.network.model).toBe("flow");
    expect(s.schedule).toMatchObject({ kind: "p2p", spec: { transfers: expect.any(Array) } });
    const spec = (s.schedule as { spec: P2pParams }).spec;
    expect(spec.transfers.length).toBeGreaterThan(0);
    expect(spec.random).toBeDefined();
  });

  it("gossip-timing.yaml: 64 workers, ring, exponential 10 ms computes, 5 MB exchanges, 10 s", () => {
    const s = decodeScenario(load("gossip-timing.yaml"));
    expect(s.cluster.workers).toBe(64);
    expect(s.cluster.topology).toEqual({ kind: "ring" });
    expect(s.cluster.device.duration).toBe("exponential");
    expect(s.cluster.network).toMatchObject({ layout: "switch", bandwidth: 1.25e9 });
    expect(s.schedule).toEqual({
      kind: "gossip-timing",
      trains: false,
      spec: { compute: { kind: "time", seconds: 0.01 }, rate: 1, bytes: 5e6 },
    });
    expect(s.stop.time).toBe(10);
  });
});
