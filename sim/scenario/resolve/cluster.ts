import type { ClusterInput } from "../input/cluster.ts";
import { type DevicePresetValues, devicePresetValues, MACHINE_PRESET } from "../presets.ts";
import { resolveTopology } from "../registry/topology-kinds.ts";
import type { ClusterSpec, DeviceOverride, DeviceSpec, FailureSpec, StragglerSpec } from "../types.ts";
import { resolveNetwork } from "./network.ts";
import { type Path, type Problems, workerIdExpected } from "./problems.ts";
import { withPreset } from "./with-preset.ts";

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
    (name: string): DevicePresetValues => {
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
