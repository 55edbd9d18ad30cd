import { devicePresetRegistry } from "./registry/device-presets.ts";
import { networkPresetRegistry } from "./registry/network-presets.ts";
import type { DevicePreset, NetworkPreset } from "./registry/preset-entry.ts";
import type { DeviceSpec } from "./types.ts";
import { parseQuantity } from "./units.ts";

/**
 * Named devices and networks a scenario can start from: `cluster.device.preset: h100` (or one
 * worker's `cluster.devices[i].preset`) fills peakFlops, efficiency, memoryBandwidth and memory;
 * `cluster.network.preset: ib-200` fills bandwidth and latency. A field the file gives itself always
 * wins over its preset, and a preset over the schema's default (resolve/cluster.ts applies them).
 *
 * The presets are registries (registry/device-presets.ts, registry/network-presets.ts: one file per
 * preset, with its sources); this module reads their values in SI units.
 */

export type { DevicePreset, NetworkPreset } from "./registry/preset-entry.ts";

/**
 * "This machine": its numbers are not known in advance but measured by `dtsim calibrate`, whose
 * profile the CLI passes in (`--profile FILE`); naming it without a profile is an input error.
 */
export const MACHINE_PRESET = "this-machine";
export const MACHINE_SUMMARY =
  "this machine, as measured by `dtsim calibrate` (pass the profile with --profile FILE)";

/** What a file may write in a device's `preset`: the registered presets and "this-machine". */
export function deviceInputPresetNames(): string[] {
  return [...devicePresetRegistry.kinds(), MACHINE_PRESET];
}

// The presets dtsim ships, by name, for the library's users (index.ts). A preset added to a registry
// at run time is not in these records: the registries are the source of truth.
export const devicePresetNames = devicePresetRegistry.kinds();
export type DevicePresetName = string;
export const devicePresets: Readonly<Record<string, DevicePreset>> = Object.fromEntries(
  devicePresetRegistry.entries().map((p) => [p.kind, p]),
);
export const networkPresetNames = networkPresetRegistry.kinds();
export type NetworkPresetName = string;
export const networkPresets: Readonly<Record<string, NetworkPreset>> = Object.fromEntries(
  networkPresetRegistry.entries().map((p) => [p.kind, p]),
);

export type DevicePresetValues = Pick<DeviceSpec, "peakFlops" | "efficiency" | "memoryBandwidth" | "memory"> &
  Partial<Pick<DeviceSpec, "launchOverhead">>;

/** A device preset's fields in SI base units, as the decoder fills them in. */
export function devicePresetValues(name: string): DevicePresetValues {
  const preset = devicePresetRegistry.get(name);
  const at = `device preset ${name}`;
  return {
    peakFlops: parseQuantity("flopRate", preset.peakFlops, `${at}: peakFlops`),
    efficiency: preset.efficiency,
    memoryBandwidth: parseQuantity("bandwidth", preset.memoryBandwidth, `${at}: memoryBandwidth`),
    memory: parseQuantity("size", preset.memory, `${at}: memory`),
  };
}

export interface NetworkPresetValues {
  readonly bandwidth: number;
  readonly latency: number;
}

/** A network preset's fields in SI base units. */
export function networkPresetValues(name: string): NetworkPresetValues {
  const preset = networkPresetRegistry.get(name);
  const at = `network preset ${name}`;
  return {
    bandwidth: parseQuantity("bandwidth", preset.bandwidth, `${at}: bandwidth`),
    latency: parseQuantity("time", preset.latency, `${at}: latency`, { allowZero: true }),
  };
}
