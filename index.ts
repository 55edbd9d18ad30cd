/**
 * dtsim as a library: the functions the command line is built on, typed. `run` reads, decodes and
 * runs a scenario in one call, `sweep` runs it over a grid of field values and seeds (as `dtsim sweep`,
 * in this process) and returns each run's metrics and each point's means; the steps are exported too
 * (decode, check, run, JSON), with the scenario's reference and the presets. Published compiled (dist/, built by `npm run build` when the
 * package is packed), so a consumer needs neither TypeScript nor tsx.
 *
 * Every mistake in a scenario is thrown (or returned, by `scenarioProblems` and `checkScenario`) as an
 * `InputError` naming the field, the value and what was expected; anything else thrown is a bug.
 */
import { basename, extname } from "node:path";
import { loadScenarioFile } from "./cli/load.ts";
import type { RunResult } from "./sim/result.ts";
import { type RunOptions, runScenario } from "./sim/run.ts";
import { decodeScenario } from "./sim/scenario/decode.ts";
import { applySet } from "./sim/scenario/overrides.ts";

export {
  type SweepAggregate,
  type SweepInput,
  type SweepResult,
  type SweepRow,
  sweep,
} from "./cli/sweep/in-process.ts";
export type { MeanInterval } from "./cli/sweep/stats.ts";
export { FileSyntaxError } from "./cli/user-errors.ts";
export { checkScenario } from "./sim/check.ts";
// The extension points, for plug-ins: an entry added to a registry is decoded, checked, documented
// and built like a built-in one (sim/registry.ts; one file per entry under sim/scenario/registry/).
export { type Graph, graphFromEdges } from "./sim/cluster/topology/graph.ts";
export { InputError } from "./sim/errors.ts";
export { modelPresetRegistry } from "./sim/problems/model-presets.ts";
export {
  type ModelPreset,
  modelPresets,
  type PresetModel,
  presetFlopsPerSample,
  presetModels,
} from "./sim/problems/presets.ts";
export { Registry, type RegistryEntry, RegistryError, type ResolveContext } from "./sim/registry.ts";
export {
  type CollectiveResult,
  type MemoryResult,
  type NetworkResult,
  type RunResult,
  resultToJson,
  type WorkerResult,
} from "./sim/result.ts";
export { type BuiltRun, buildRun, type RunOptions, runScenario } from "./sim/run.ts";
export {
  type DecodeOptions,
  type DecodeResult,
  decodeScenario,
  decodeScenarioAll,
  scenarioProblems,
} from "./sim/scenario/decode.ts";
export { finite, integer, oneOf, optional, quantity, withDefault } from "./sim/scenario/fields.ts";
export { applySet } from "./sim/scenario/overrides.ts";
export { sgdFields, sgdSettingsOf, trainingFields } from "./sim/scenario/params/training.ts";
export {
  type DevicePreset,
  type DevicePresetName,
  devicePresetNames,
  devicePresets,
  type NetworkPreset,
  type NetworkPresetName,
  networkPresetNames,
  networkPresets,
} from "./sim/scenario/presets.ts";
export {
  type FieldDoc,
  type KindDoc,
  problemKinds,
  scenarioFields,
  scheduleKinds,
  topologyKinds,
} from "./sim/scenario/reference.ts";
export { devicePresetRegistry } from "./sim/scenario/registry/device-presets.ts";
export type { LayoutEntry } from "./sim/scenario/registry/layout-entry.ts";
export { layoutRegistry } from "./sim/scenario/registry/layouts.ts";
export type { NetworkModelEntry } from "./sim/scenario/registry/network-model-entry.ts";
export { networkModelRegistry } from "./sim/scenario/registry/network-models.ts";
export { networkPresetRegistry } from "./sim/scenario/registry/network-presets.ts";
export { defineProblem, type ProblemEntry } from "./sim/scenario/registry/problem-entry.ts";
export { problemRegistry } from "./sim/scenario/registry/problems.ts";
export { type ScheduleEntry, scheduleRegistry } from "./sim/scenario/registry/schedules.ts";
export { topologyRegistry } from "./sim/scenario/registry/topologies.ts";
export { defineTopology, type TopologyEntry } from "./sim/scenario/registry/topology-entry.ts";
export type {
  ClusterSpec,
  DeviceSpec,
  NetworkSpec,
  ProblemSpec,
  Scenario,
  ScheduleKind,
  ScheduleSpec,
  StopSpec,
  TopologySpec,
} from "./sim/scenario/types.ts";
export {
  defineSchedule,
  modelIsX,
  type RunInfo,
  type ScheduleDefinition,
  type StateVector,
  type WorkerModel,
} from "./sim/schedules/definition.ts";
export type {
  ComputeClock,
  Control,
  Group,
  Message,
  ScheduleProcess,
  Worker,
} from "./sim/schedules/worker.ts";
export { defineTraffic, type TrafficEntry } from "./sim/traffic/traffic-entry.ts";

/**
 * Reads a scenario file (YAML or JSON) into its raw form, ready for `applySet` and decoding. Throws
 * `FileSyntaxError` (with line and column) for a malformed file, `InputError` for an unreadable one.
 */
export function loadScenario(path: string): unknown {
  return loadScenarioFile(path);
}

export interface RunInput extends RunOptions {
  /** `path=value` assignments applied before decoding, in order, as `dtsim run --set` does. */
  readonly set?: ReadonlyArray<string>;
  /** Replaces the scenario's seed (after `set`). */
  readonly seed?: number;
}

/**
 * Decodes and runs a scenario: `scenario` is a file's path, or the scenario as an object, written as
 * in a file (`{ cluster: { workers: 8 }, schedule: { kind: "allreduce", bytes: "1 GB" } }`). Returns
 * what `dtsim run --json` prints before `resultToJson`. Throws `InputError` for the first problem found
 * (`scenarioProblems` or `checkScenario` list them all).
 */
export function run(scenario: string | object, options: RunInput = {}): RunResult {
  const fromFile = typeof scenario === "string";
  let raw: unknown = fromFile ? loadScenarioFile(scenario) : scenario;
  const isObject = (value: unknown): value is object =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  for (const assignment of options.set ?? []) if (isObject(raw)) raw = applySet(raw, assignment);
  if (options.seed !== undefined && isObject(raw)) raw = { ...raw, seed: options.seed };
  const decoded = decodeScenario(raw, fromFile ? { defaultName: basename(scenario, extname(scenario)) } : {});
  return runScenario(decoded, options);
}
