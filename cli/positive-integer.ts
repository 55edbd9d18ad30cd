import { InputError } from "../sim/errors.ts";

/**
 * A count flag as typed (`--seeds`, `--parallel`, `--concurrency`, `--stall-timeout`): digits only, at
 * least 1; `fallback` when absent. Anything else is an InputError naming the flag.
 */
export function positiveInteger(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new InputError(flag, text, "a positive integer");
  }
  return value;
}
