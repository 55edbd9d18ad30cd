import { type ClusterInput, hierarchicalDefaults } from "../input/cluster.ts";
import {
  type DeviceInputPresetName,
  type DevicePresetValues,
  devicePresetValues,
  MACHINE_PRESET,
  networkPresetValues,
} from "../presets.ts";
import { resolveStaticTopology, resolveTopology } from "../registry/topology-kinds.ts";
import type {
  ClusterSpec,
  DeviceOverride,
  DeviceSpec,
  FailureSpec,
  NetworkSpec,
  StragglerSpec,
} from "../types.ts";
import { parseQuantity } from "../units.ts";
import { type Path, type Problems, workerIdExpected } from "./problems.ts";

/**
 * Cross-field rules of `cluster`: worker ids in range, one override per worker, layout-specific fields;
 * and presets, whose values fill the fields the file leaves out (a field given always wins).
 */
export function resolveCluster(
  input: ClusterInput,
  problems: Problems,
  machine?: DevicePresetValues,
): ClusterSpec {
  const { workers } = input;
  const presetValues =
    (path: Path) =>
    (name: DeviceInputPresetName): DevicePresetValues => {
      if (name !== MACHINE_PRESET) return devicePresetValues(name);
      if (machine === undefined) {
        problems.add(
          [...path, "preset"],
          "a calibration profile for this-machine (run `dtsim calibrate --out FILE`, then pass --profile FILE)",
        );
        return {} as DevicePresetValues;
      }
      return machine;
    };
  const checkWorker = (worker: number, path: Path) => {
    if (worker >= workers) problems.add(path, workerIdExpected(workers));
  };
  const device = withPreset(
    input.device,
    presetValues(["cluster", "device"]),
    ["cluster", "device"],
    problems,
  );
  const overrides = input.devices.map((override, i) =>
    withPreset(override, presetValues(["cluster", "devices", i]), ["cluster", "devices", i], problems),
  );
  return {
    workers,
    topology: resolveTopology(input.topology, { workers, path: ["cluster", "topology"], problems }),
    device,
    devices: resolveOverrides(device, overrides, checkWorker, problems),
    stragglers: resolveStragglers(input.stragglers, checkWorker, problems),
    failures: resolveFailures(input.failures, checkWorker, problems),
    network: resolveNetwork(input.network, workers, problems),
  };
}

type CheckWorker = (worker: number, path: Path) => void;

/**
 * `fields` without its `preset`, and with the preset's values in every field of it that the raw
 * input does not spell out: a preset replaces the schema's defaults, never what the file says.
 */
function withPreset<N extends string, F extends { readonly preset?: N }, V extends object>(
  fields: F,
  valuesOf: (name: N) => V,
  path: Path,
  problems: Problems,
): Omit<F, "preset"> {
  const { preset, ...rest } = fields;
  if (preset === undefined) return rest;
  const filled: Record<string, unknown> = { ...rest };
  for (const [key, value] of Object.entries(valuesOf(preset))) {
    if (!problems.has([...path, key])) filled[key] = value;
  }
  return filled as Omit<F, "preset">;
}

function resolveOverrides(
  defaults: DeviceSpec,
  overrides: ReadonlyArray<DeviceOverride>,
  checkWorker: CheckWorker,
  problems: Problems,
): ReadonlyArray<DeviceOverride> {
  checkUniformSpread(defaults, ["cluster", "device"], problems);
  const seen = new Map<number, number>();
  overrides.forEach((override, i) => {
    const path = ["cluster", "devices", i];
    checkWorker(override.worker, [...path, "worker"]);
    const earlier = seen.get(override.worker);
    if (earlier !== undefined) {
      problems.add(
        [...path, "worker"],
        `a worker not already overridden (cluster.devices.${earlier} has it)`,
      );
    }
    seen.set(override.worker, i);
    if (override.duration !== undefined || override.cv !== undefined) {
      checkUniformSpread({ ...defaults, ...override }, path, problems);
    }
  });
  return overrides;
}

/** A uniform duration of half-width cv · mean must stay positive: cv < 1. */
function checkUniformSpread(device: DeviceSpec, path: Path, problems: Problems): void {
  if (device.duration === "uniform" && device.cv >= 1) {
    const at = problems.has([...path, "cv"]) ? [...path, "cv"] : ["cluster", "device", "cv"];
    problems.add(at, "a number < 1 for uniform durations (it is the half-width over the mean)");
  }
}

function resolveStragglers(
  input: StragglerSpec,
  checkWorker: CheckWorker,
  problems: Problems,
): StragglerSpec {
  input.episodes.forEach((episode, i) => {
    const path = ["cluster", "stragglers", "episodes", i];
    checkWorker(episode.worker, [...path, "worker"]);
    if (episode.end <= episode.start)
      problems.add([...path, "end"], `a time after start (${episode.start} s)`);
  });
  return input;
}

/** Sorted by worker then time; one worker's intervals may not overlap (it cannot fail while down). */
function resolveFailures(
  input: ReadonlyArray<FailureSpec>,
  checkWorker: CheckWorker,
  problems: Problems,
): ReadonlyArray<FailureSpec> {
  input.forEach((failure, i) => {
    checkWorker(failure.worker, ["cluster", "failures", i, "worker"]);
  });
  const order = input
    .map((_, i) => i)
    .sort((a, b) => input[a]!.worker - input[b]!.worker || input[a]!.at - input[b]!.at);
  for (let k = 1; k < order.length; k++) {
    const previous = input[order[k - 1]!]!;
    const current = input[order[k]!]!;
    const previousEnd = previous.at + (previous.duration ?? Number.POSITIVE_INFINITY);
    if (previous.worker === current.worker && current.at < previousEnd) {
      problems.add(
        ["cluster", "failures", order[k]!, "at"],
        `a time after worker ${current.worker} is back from cluster.failures.${order[k - 1]} (${previousEnd} s)`,
      );
    }
  }
  return order.map((i) => input[i]!);
}

const HIERARCHICAL_ONLY = ["gpusPerNode", "intraBandwidth", "intraLatency"] as const;

function resolveNetwork(given: ClusterInput["network"], workers: number, problems: Problems): NetworkSpec {
  const path = ["cluster", "network"];
  const input = withPreset(given, networkPresetValues, path, problems);
  const common = {
    model: input.model,
    bandwidth: input.bandwidth,
    latency: input.latency,
    duplex: input.duplex,
  };
  const refuse = (field: string, layouts: string) => {
    if (problems.has([...path, field]))
      problems.add([...path, field], `no ${field} unless layout is ${layouts}`);
  };
  if (input.layout !== "graph") refuse("topology", "graph");
  if (input.layout !== "hierarchical") for (const field of HIERARCHICAL_ONLY) refuse(field, "hierarchical");
  switch (input.layout) {
    case "switch":
      return { layout: "switch", ...common };
    case "graph":
      if (input.topology === undefined) {
        problems.add([...path, "topology"], "the physical cable graph (required when layout is graph)");
        return { layout: "graph", ...common, topology: { kind: "complete" } };
      }
      return {
        layout: "graph",
        ...common,
        topology: resolveStaticTopology(input.topology, { workers, path: [...path, "topology"], problems }),
      };
    case "hierarchical":
      return {
        layout: "hierarchical",
        ...common,
        gpusPerNode: input.gpusPerNode ?? hierarchicalDefaults.gpusPerNode,
        intraBandwidth: input.intraBandwidth ?? DEFAULT_INTRA_BANDWIDTH,
        intraLatency: input.intraLatency ?? DEFAULT_INTRA_LATENCY,
      };
  }
}

// Defaults of the hierarchical-only fields, applied here because the schema cannot tell whether the
// layout asks for them.
const DEFAULT_INTRA_BANDWIDTH = parseQuantity(
  "bandwidth",
  hierarchicalDefaults.intraBandwidth,
  "intraBandwidth",
);
const DEFAULT_INTRA_LATENCY = parseQuantity("time", hierarchicalDefaults.intraLatency, "intraLatency", {
  allowZero: true,
});
