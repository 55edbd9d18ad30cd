import { describe, expect, it } from "vitest";
import { renderScenarioReference } from "../../scripts/scenario-docs.ts";
import { checkScenario } from "../../sim/check.ts";
import { RegistryError } from "../../sim/registry.ts";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario, scenarioProblems } from "../../sim/scenario/decode.ts";
import { topologyKinds } from "../../sim/scenario/reference.ts";
import { topologyRegistry } from "../../sim/scenario/registry/topologies.ts";
import { circulant, circulantEdges } from "./circulant-topology.ts";

/**
 * A topology defined in one file (circulant-topology.ts), registered through the registry's public
 * `add`, goes everywhere a built-in one goes: decoded, checked, documented and run. Nothing else in the
 * source tree names it. (Vitest gives each test file its own modules, so no other file sees it.)
 */
const gossip = (topology: object, network: object = {}) => ({
  seed: 3,
  cluster: { workers: 12, topology, network },
  schedule: { kind: "gossip-timing", computeTime: "10 ms", rate: 1, bytes: "1 MB" },
  stop: { time: "0.5 s" },
});

describe("a topology registered by a plug-in", () => {
  it("is refused before it is registered, then accepted", () => {
    expect(scenarioProblems(gossip({ kind: "circulant" }))[0]!.message).toMatch(
      /^cluster\.topology\.kind: got "circulant"/,
    );
    topologyRegistry.add(circulant);
    expect(topologyRegistry.kinds()).toContain("circulant");
    expect(() => topologyRegistry.add(circulant)).toThrow(RegistryError);
  });

  it("decodes with its defaults, and its rules and field checks report by path", () => {
    expect(decodeScenario(gossip({ kind: "circulant" })).cluster.topology).toEqual({
      kind: "circulant",
      stride: 2,
    });
    expect(scenarioProblems(gossip({ kind: "circulant", stride: 6 })).map((p) => p.message)).toEqual([
      "cluster.topology.stride: got 6, expected an integer < 12 / 2",
    ]);
    expect(scenarioProblems(gossip({ kind: "circulant", stride: 1 }))[0]!.message).toBe(
      "cluster.topology.stride: got 1, expected an integer ≥ 2",
    );
    expect(scenarioProblems(gossip({ kind: "circulant", strides: 3 }))[0]!.path).toBe(
      "cluster.topology.strides",
    );
  });

  it("is a fixed family: allowed as the cable graph and inside a time-varying sequence", () => {
    const sequence = {
      kind: "time-varying",
      graphs: [{ kind: "ring" }, { kind: "circulant", stride: 3 }],
      period: "1 s",
    };
    expect(checkScenario(gossip(sequence)).ok).toBe(true);
    const cables = { layout: "graph", topology: { kind: "circulant", stride: 5 } };
    expect(checkScenario(gossip({ kind: "ring" }, cables)).ok).toBe(true);
  });

  it("is listed in the reference and in the generated page", () => {
    const doc = topologyKinds().find((k) => k.kind === "circulant")!;
    expect(doc.summary).toBe(circulant.summary);
    expect(doc.fields.map((f) => [f.path, f.fallback])).toEqual([["stride", { written: "2" }]]);
    expect(renderScenarioReference()).toContain("### `circulant`");
  });

  it("runs exactly as the same graph given as custom edges", () => {
    // Cables along a ring, so that a chord's message crosses several cables and shows in the bytes.
    const cables = { layout: "graph", topology: { kind: "ring" } };
    const run = (topology: object) => runScenario(decodeScenario(gossip(topology, cables)));
    const toy = run({ kind: "circulant", stride: 3 });
    const edges = run({ kind: "custom", edges: circulantEdges(12, 3) });
    expect(toy.network.transfers).toBeGreaterThan(0);
    expect(toy.network).toEqual(edges.network);
    expect(toy.workers).toEqual(edges.workers);
    // And not as a plain ring: the chords are used.
    expect(toy.network.linkBytesTotal).toBeGreaterThan(run({ kind: "ring" }).network.linkBytesTotal);
  });
});
