import { existsSync, readFileSync } from "node:fs";
import {
  type CalibrationProfile,
  decodeProfile,
  machineDevice,
  machineKey,
} from "../sim/calibration/profile.ts";
import { InputError } from "../sim/errors.ts";
import type { DevicePresetValues } from "../sim/scenario/presets.ts";

/** Where calibrate writes, and every command reads, the profile unless told otherwise. */
export const DEFAULT_PROFILE = "dtsim-profile.json";

/** The profile in `file`; one line naming the flag, or the file and field, when it cannot be read. */
export function readProfile(file: string): CalibrationProfile {
  if (!existsSync(file))
    throw new InputError(
      "--profile",
      file,
      "a calibration profile: run `dtsim calibrate` first (or pass --profile FILE)",
    );
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InputError(
      "--profile",
      file,
      `a JSON calibration profile (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return decodeProfile(raw, file);
}

/**
 * The `this-machine` device for a raw scenario: from `--profile FILE` when given (an error if it cannot
 * be read), else from DEFAULT_PROFILE in the working directory when one is there, else none (then a
 * scenario naming `this-machine` gets the decoder's "run dtsim calibrate" error).
 */
export function machineFor(raw: unknown, profileFile: string | undefined): DevicePresetValues | undefined {
  const file = profileFile ?? (existsSync(DEFAULT_PROFILE) ? DEFAULT_PROFILE : undefined);
  if (file === undefined) return undefined;
  const { problemKind, workers } = machineKey(raw);
  return machineDevice(readProfile(file), problemKind, workers);
}
