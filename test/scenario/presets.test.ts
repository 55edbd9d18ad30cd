import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeScenario, scenarioProblems } from "../../sim/scenario/decode.ts";
import { applySet } from "../../sim/scenario/overrides.ts";
import { devicePresetValues, networkPresetValues } from "../../sim/scenario/presets.ts";
import { devicePresetRegistry } from "../../sim/scenario/registry/device-presets.ts";
import { networkPresetRegistry } from "../../sim/scenario/registry/network-presets.ts";

const devicePresetNames = devicePresetRegistry.kinds();
const networkPresetNames = networkPresetRegistry.kinds();

const schedule = { kind: "allreduce", bytes: "1 MB" };
const withCluster = (cluster: Record<string, unknown>) => ({ cluster: { workers: 4, ...cluster }, schedule });

/** The device defaults of the schema, in SI units: what a preset replaces. */
const schemaDevice = decodeScenario(withCluster({})).cluster.device;

describe("device presets", () => {
  it("carry the datasheet numbers the comments cite", () => {
    expect(devicePresetValues("a100")).toEqual({
      peakFlops: 312e12,
      efficiency: 0.5,
      memoryBandwidth: 2.039e12,
      memory: 80e9,
    });
    expect(devicePresetValues("h100")).toEqual({
      peakFlops: 989e12,
      efficiency: 0.4,
      memoryBandwidth: 3.35e12,
      memory: 80e9,
    });
    for (const p of devicePresetRegistry.entries()) expect(p.summary).not.toBe("");
  });

  it.each(devicePresetNames)(
    "%s fills the four fields it covers and leaves the others at their defaults",
    (name) => {
      const device = decodeScenario(withCluster({ device: { preset: name } })).cluster.device;
      expect(device).toEqual({ ...schemaDevice, ...devicePresetValues(name) });
      expect(device).not.toHaveProperty("preset");
    },
  );

  it("a field the file gives wins over the preset, whichever fields are given", () => {
    const given = {
      peakFlops: ["50 TFLOP/s", 50e12],
      efficiency: [0.7, 0.7],
      memoryBandwidth: ["1 TB/s", 1e12],
      memory: ["40 GB", 40e9],
      speed: [0.5, 0.5],
    } as const;
    const keys = Object.keys(given) as (keyof typeof given)[];
    fc.assert(
      fc.property(fc.constantFrom(...devicePresetNames), fc.subarray(keys), (name, chosen) => {
        const written = Object.fromEntries(chosen.map((k) => [k, given[k][0]]));
        const device = decodeScenario(withCluster({ device: { preset: name, ...written } })).cluster.device;
        const expected = {
          ...schemaDevice,
          ...devicePresetValues(name),
          ...Object.fromEntries(chosen.map((k) => [k, given[k][1]])),
        };
        expect(device).toEqual(expected);
      }),
    );
  });

  it("a field set with --set wins over the file's preset too", () => {
    const raw = applySet(withCluster({ device: { preset: "h100" } }), "cluster.device.peakFlops=500 TFLOP/s");
    const device = decodeScenario(raw).cluster.device;
    expect(device.peakFlops).toBe(500e12);
    expect(device.memoryBandwidth).toBe(3.35e12);
  });

  it("one worker's preset fills its entry; what the entry gives wins; the rest comes from cluster.device", () => {
    const s = decodeScenario(
      withCluster({
        device: { preset: "h100", speed: 0.9 },
        devices: [
          { worker: 1, preset: "laptop", memory: "8 GB" },
          { worker: 2, speed: 0.5 },
        ],
      }),
    );
    const laptop = devicePresetValues("laptop");
    expect(s.cluster.devices).toEqual([
      { worker: 1, ...laptop, memory: 8e9 },
      { worker: 2, speed: 0.5 },
    ]);
    expect(s.cluster.device.speed).toBe(0.9);
  });

  it("an unknown preset is one line with a did-you-mean", () => {
    expect(scenarioProblems(withCluster({ device: { preset: "h10" } })).map((p) => p.message)).toEqual([
      'cluster.device.preset: got "h10", expected one of a100 | h100 | laptop | this-machine (did you mean "h100"?)',
    ]);
    expect(
      scenarioProblems(withCluster({ devices: [{ worker: 0, preset: "A100" }] })).map((p) => p.message),
    ).toEqual([
      'cluster.devices.0.preset: got "A100", expected one of a100 | h100 | laptop | this-machine (did you mean "a100"?)',
    ]);
  });

  it("a scenario without presets decodes as it did before", () => {
    expect(schemaDevice).toEqual({
      peakFlops: 1e14,
      efficiency: 0.5,
      memoryBandwidth: 2e12,
      memory: 8e10,
      speed: 1,
      duration: "deterministic",
      cv: 0.1,
      launchOverhead: 0,
    });
  });
});

describe("network presets", () => {
  const network = (fields: Record<string, unknown>) =>
    decodeScenario(withCluster({ network: fields })).cluster.network;

  it.each(networkPresetNames)("%s fills bandwidth and latency", (name) => {
    const values = networkPresetValues(name);
    expect(network({ preset: name })).toEqual({ ...network({}), ...values });
    expect(networkPresetRegistry.get(name).summary).toMatch(/typical/);
  });

  it("line rates: InfiniBand 100/200/400 Gb/s, NVLink 4 450 GB/s each way", () => {
    expect(networkPresetValues("ib-100").bandwidth).toBe(12.5e9);
    expect(networkPresetValues("ib-200").bandwidth).toBe(25e9);
    expect(networkPresetValues("ib-400").bandwidth).toBe(50e9);
    expect(networkPresetValues("ethernet-25").bandwidth).toBe(3.125e9);
    expect(networkPresetValues("nvlink").bandwidth).toBe(450e9);
  });

  it("fields given win, and the layout's own fields are untouched", () => {
    const hierarchical = network({ preset: "ib-400", layout: "hierarchical", latency: "3 us" });
    expect(hierarchical).toMatchObject({
      layout: "hierarchical",
      bandwidth: 50e9,
      latency: 3e-6,
      gpusPerNode: 8,
      intraBandwidth: 300e9,
    });
  });

  it("an unknown preset gets a did-you-mean", () => {
    expect(scenarioProblems(withCluster({ network: { preset: "infiniband" } }))).toHaveLength(1);
    expect(scenarioProblems(withCluster({ network: { preset: "ib200" } }))[0]!.message).toContain(
      'did you mean "ib-200"?',
    );
  });
});

describe("the this-machine preset", () => {
  const raw = (preset: string) => ({
    name: "m",
    cluster: { workers: 2, device: { preset } },
    schedule: { kind: "p2p", transfers: [{ src: 0, dst: 1, bytes: "1 MB", at: "0 s" }] },
    stop: { time: "1 s" },
  });

  it("is an input error without a calibration profile, naming the field and what to do", () => {
    const problems = scenarioProblems(raw("this-machine"));
    expect(problems.map((p) => p.path)).toContain("cluster.device.preset");
    expect(problems.map((p) => p.message).join("\n")).toMatch(/dtsim calibrate/);
  });

  it("fills the device from the profile's numbers, launch overhead included", () => {
    const machine = {
      peakFlops: 4e9,
      efficiency: 0.25,
      memoryBandwidth: 1e10,
      memory: 2e10,
      launchOverhead: 1.5e-4,
    };
    const scenario = decodeScenario(raw("this-machine"), { machine });
    expect(scenario.cluster.device).toMatchObject(machine);
  });
});
