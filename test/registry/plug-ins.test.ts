import { describe, expect, it } from "vitest";
import { formatPresets } from "../../cli/commands/presets.ts";
import { renderScenarioReference } from "../../scripts/scenario-docs.ts";
import { FlowNetwork } from "../../sim/cluster/network/flow-network.ts";
import { SwitchPlatform } from "../../sim/cluster/network/switch-platform.ts";
import { buildQuadraticProblem } from "../../sim/problems/index.ts";
import { modelPresetRegistry } from "../../sim/problems/model-presets.ts";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario, scenarioProblems } from "../../sim/scenario/decode.ts";
import { finite, integer, optional, withDefault } from "../../sim/scenario/fields.ts";
import { devicePresetRegistry } from "../../sim/scenario/registry/device-presets.ts";
import { layoutRegistry } from "../../sim/scenario/registry/layouts.ts";
import { networkModelRegistry } from "../../sim/scenario/registry/network-models.ts";
import { networkPresetRegistry } from "../../sim/scenario/registry/network-presets.ts";
import { defineProblem } from "../../sim/scenario/registry/problem-entry.ts";
import { problemRegistry } from "../../sim/scenario/registry/problems.ts";

/**
 * Every other registry takes an entry at run time like the topology one (toy-topology.test.ts): the
 * schema, the listings and the builders see it. The entries are written here, as a plug-in would.
 */
const allreduce = (cluster: object) => ({
  cluster: { workers: 4, ...cluster },
  schedule: { kind: "allreduce", bytes: "8 MB" },
});

describe("entries registered at run time", () => {
  it("device and network presets: accepted, applied and listed", () => {
    expect(scenarioProblems(allreduce({ device: { preset: "toy-gpu" } }))[0]!.path).toBe(
      "cluster.device.preset",
    );
    devicePresetRegistry.add({
      kind: "toy-gpu",
      summary: "a toy accelerator",
      peakFlops: "7 TFLOP/s",
      efficiency: 0.25,
      memoryBandwidth: "300 GB/s",
      memory: "12 GB",
    });
    networkPresetRegistry.add({
      kind: "toy-net",
      summary: "a toy fabric",
      bandwidth: "3 GB/s",
      latency: "7 us",
    });
    const s = decodeScenario(allreduce({ device: { preset: "toy-gpu" }, network: { preset: "toy-net" } }));
    expect(s.cluster.device).toMatchObject({
      peakFlops: 7e12,
      efficiency: 0.25,
      memoryBandwidth: 3e11,
      memory: 12e9,
    });
    expect(s.cluster.network).toMatchObject({ bandwidth: 3e9, latency: 7e-6 });
    expect(formatPresets()).toMatch(/^toy-gpu .*a toy accelerator$/m);
    expect(formatPresets()).toMatch(/^toy-net .*a toy fabric$/m);
    expect(renderScenarioReference()).toContain("| `toy-net` | 3 GB/s | 7 us | a toy fabric |");
  });

  it("a network model: chosen by name, run on the scenario's platform", () => {
    networkModelRegistry.add({
      kind: "flow-again",
      summary: "the flow model under another name",
      build: (sim, platform) => new FlowNetwork(sim, platform),
    });
    // Two transfers into one NIC at once: the flow model shares it, alpha-beta (the default) does not.
    const run = (model: string) =>
      runScenario(
        decodeScenario({
          cluster: { workers: 3, network: { model } },
          schedule: {
            kind: "p2p",
            transfers: [
              { src: 1, dst: 0, bytes: "10 MB" },
              { src: 2, dst: 0, bytes: "10 MB" },
            ],
          },
        }),
      ).simTime;
    expect(run("flow-again")).toBe(run("flow"));
    expect(run("flow-again")).toBeGreaterThan(1.5 * run("alpha-beta"));
  });

  it("a physical layout: its own fields, refused under another layout, and its platform", () => {
    layoutRegistry.add({
      kind: "slow-switch",
      summary: "a switch whose NICs run at a fraction of `bandwidth`",
      fields: {
        nicFraction: optional(finite({ above: 0, atMost: 1 }, { description: "NIC speed / bandwidth." }), {
          written: 0.5,
        }),
      },
      resolve: (input) => ({ nicFraction: input.nicFraction ?? 0.5 }),
      build: (spec, workers, _, path) =>
        new SwitchPlatform(
          workers,
          { bandwidth: spec.bandwidth * (spec.nicFraction as number), latency: spec.latency / 2 },
          spec.duplex,
          path,
        ),
    });
    const run = (network: object) => runScenario(decodeScenario(allreduce({ network }))).simTime;
    expect(
      decodeScenario(allreduce({ network: { layout: "slow-switch" } })).cluster.network.nicFraction,
    ).toBe(0.5);
    expect(scenarioProblems(allreduce({ network: { nicFraction: 0.5 } })).map((p) => p.message)).toEqual([
      "cluster.network.nicFraction: got 0.5, expected no nicFraction unless layout is slow-switch",
    ]);
    const slow = run({ layout: "slow-switch", nicFraction: 0.25, latency: 0 });
    expect(slow).toBeCloseTo(4 * run({ layout: "switch", latency: 0 }), 12);
  });

  it("a problem and a model preset: decoded with their defaults and trained", () => {
    problemRegistry.add(
      defineProblem({
        kind: "tiny-quadratic",
        summary: "A quadratic of a few coordinates.",
        fields: { dimension: withDefault(integer({ min: 1, max: 64 }, { description: "Coordinates." }), 4) },
        build: (spec, workers, streams, path) => buildQuadraticProblem(spec, workers, streams, path),
      }),
    );
    modelPresetRegistry.add({
      kind: "toy-net-1m",
      family: "cnn",
      name: "a toy CNN",
      parameters: 1e6,
      forwardMultiplyAdds: 1e8,
      bytesPerValue: 4,
      microBatch: 8,
    });
    const training = (problem: object) => ({
      cluster: { workers: 4 },
      schedule: { kind: "allreduce-sgd" },
      problem,
      stop: { time: "50 ms" },
    });
    const tiny = decodeScenario(training({ kind: "tiny-quadratic" }));
    expect(tiny.problem).toEqual({ kind: "tiny-quadratic", dimension: 4 });
    expect(runScenario(tiny).workers[0]!.computeTime).toBeGreaterThan(0);
    const preset = decodeScenario(training({ kind: "preset", model: "toy-net-1m" }));
    expect(preset.numerics).toBe("shape");
    expect(runScenario(preset).simTime).toBeGreaterThan(0);
    expect(formatPresets()).toMatch(/^toy-net-1m .*a toy CNN$/m);
  });
});
