import { Registry } from "../../registry.ts";
import { a100 } from "./device-presets/a100.ts";
import { h100 } from "./device-presets/h100.ts";
import { laptop } from "./device-presets/laptop.ts";
import type { DevicePreset } from "./preset-entry.ts";

/**
 * The devices `cluster.device.preset` may name, in listing order (besides "this-machine", measured by
 * `dtsim calibrate`: sim/scenario/presets.ts). A new one is one file in device-presets/ and one line
 * here, or `devicePresetRegistry.add(preset)` at run time.
 */
export const devicePresetRegistry = new Registry<DevicePreset>("device preset", [a100, h100, laptop]);
