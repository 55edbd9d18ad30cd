import type { Path, Problems } from "./problems.ts";

/**
 * `fields` without its `preset`, and with the preset's values in every field of it that the raw
 * input does not spell out: a preset replaces the schema's defaults, never what the file says.
 */
export function withPreset<N extends string, F extends { readonly preset?: N }, V extends object>(
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
