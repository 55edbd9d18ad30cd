import { InputError } from "./errors.ts";
import { buildRun } from "./run.ts";
import { type DecodeOptions, type DecodeResult, decodeScenarioAll } from "./scenario/decode.ts";

/**
 * Every problem with a raw scenario that can be found without running it: all of the decoder's, and
 * when it decodes, the problem (if any) that only shows while building the run — a disconnected
 * random gossip graph, a cable graph that leaves a device unreachable, nodes that do not divide the
 * workers, a problem the schedule cannot train. Building stops at the first of those, so at most one
 * is reported; the run is built exactly as `runScenario` builds it, then dropped before its first event.
 */
export function checkScenario(raw: unknown, options: DecodeOptions = {}): DecodeResult {
  const decoded = decodeScenarioAll(raw, options);
  if (!decoded.ok) return decoded;
  try {
    buildRun(decoded.scenario);
  } catch (error) {
    // Anything but the user's input error is a bug, and propagates as one.
    if (error instanceof InputError) return { ok: false, problems: [error] };
    throw error;
  }
  return decoded;
}
