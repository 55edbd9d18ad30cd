import { readYaml } from "../sim/scenario/yaml-limits.ts";
import { FileSyntaxError } from "./user-errors.ts";

/**
 * A scenario's text (YAML or JSON) as a raw value, `file` naming it in a syntax error: duplicate keys,
 * nesting past the budget and too many aliases are errors with a position (sim/scenario/yaml-limits.ts).
 * No file system here: the playground parses what its editor holds with this same function, so that
 * its messages read as `dtsim check`'s.
 */
export function parseScenarioText(text: string, file: string): unknown {
  const read = readYaml(text);
  if (!read.ok) throw new FileSyntaxError(file, read.line, read.column, read.reason);
  return read.value ?? {};
}
