import { readFileSync } from "node:fs";
import { InputError } from "../sim/errors.ts";
import { parseScenarioText } from "./parse-scenario.ts";

/**
 * Reads a scenario file into a raw value, ready for --set and decoding. YAML and JSON alike go through
 * the YAML parser: JSON is (for our purposes) a subset of YAML 1.2, and the YAML parser reports line
 * and column on every Node version, where Node 20's JSON.parse often gives neither. Duplicate keys
 * are an error, as they almost always are a mistake. An empty file reads as an empty object.
 */
export function loadScenarioFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError("FILE", file, `a readable scenario file (${describeFsError(error)})`);
  }
  return parseScenarioText(text, file);
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
