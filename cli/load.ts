import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { InputError } from "../sim/errors.ts";
import { parseScenarioText } from "./parse-scenario.ts";

/**
 * The largest scenario file read: the shipped ones are a few KB, and a custom edge list of a few
 * hundred thousand links fits. The cap is what keeps `dtsim check /dev/zero`-like inputs from
 * growing the heap until V8 aborts.
 */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

/**
 * Reads a scenario file into a raw value, ready for --set and decoding. YAML and JSON alike go through
 * the YAML parser: JSON is (for our purposes) a subset of YAML 1.2, and the YAML parser reports line
 * and column on every Node version, where Node 20's JSON.parse often gives neither. Duplicate keys,
 * nesting past the budget and too many aliases are errors with a position (sim/scenario/yaml-limits.ts).
 * An empty file reads as an empty object.
 */
export function loadScenarioFile(file: string): unknown {
  return parseScenarioText(readScenarioText(file), file);
}

/**
 * The file's text, refused with one line unless it is a regular file of at most MAX_SCENARIO_BYTES:
 * a FIFO with no writer would block the open forever, a device such as /dev/zero never ends.
 */
function readScenarioText(file: string): string {
  const refuse = (why: string) => new InputError("FILE", file, `a readable scenario file (${why})`);
  try {
    // stat before open: opening a FIFO for reading blocks until a writer comes.
    if (!statSync(file).isFile()) throw refuse(`not a regular file${describeKind(file)}`);
    const fd = openSync(file, "r");
    try {
      const size = fstatSync(fd).size;
      if (size > MAX_SCENARIO_BYTES) throw refuse(tooBig());
      // Chunks up to one byte past the cap: a file that grew since fstat, or one whose size fstat does
      // not know (/proc), is refused at the cap rather than read without end.
      const chunks: Buffer[] = [];
      let length = 0;
      for (;;) {
        const chunk = Buffer.alloc(Math.min(64 * 1024, MAX_SCENARIO_BYTES + 1 - length));
        const n = readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        chunks.push(chunk.subarray(0, n));
        length += n;
        if (length > MAX_SCENARIO_BYTES) throw refuse(tooBig());
      }
      return Buffer.concat(chunks, length).toString("utf8");
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw refuse(describeFsError(error));
  }
}

const tooBig = () => `larger than ${MAX_SCENARIO_BYTES / 1024 / 1024} MiB, the most a scenario file may hold`;

function describeKind(file: string): string {
  const stat = statSync(file);
  if (stat.isDirectory()) return ": it is a directory";
  if (stat.isFIFO()) return ": it is a FIFO";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return ": it is a device";
  if (stat.isSocket()) return ": it is a socket";
  return "";
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
