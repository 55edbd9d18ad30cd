import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../sim/errors.ts";
import { type RunResult, WORKER_FIELDS, type WorkerResult } from "../../sim/result.ts";

/** A run directory of `dtsim run --out DIR`, read back. */
export interface RunDirectory {
  readonly dir: string;
  /** The result as in result.json (the JSON contract: counts flattened into each worker). */
  readonly json: Record<string, unknown>;
  /** The same, as a RunResult (counts gathered back), for the summary and the plots. */
  readonly result: RunResult;
}

const EXPECTED = "the result.json that `dtsim run --out DIR` writes";

/** Reads DIR/result.json; an InputError (one line) when there is none or it is not a run's result. */
export function readRunDirectory(dir: string): RunDirectory {
  const path = join(dir, "result.json");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new InputError(path, undefined, `${EXPECTED} (${why})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(path, "malformed JSON", `${EXPECTED} (${(error as Error).message})`);
  }
  const problem = resultProblem(json);
  if (problem !== undefined) throw new InputError(path, problem, EXPECTED);
  const record = json as Record<string, unknown>;
  return { dir, json: record, result: fromJson(record) };
}

const NUMBERS = ["seed", "simTime", "events", "wallTime", "eventsPerSecond"] as const;
const WORKER_NUMBERS = [...WORKER_FIELDS];

/** What makes `value` not a run's result, in a few words; undefined when it is one. */
function resultProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return "JSON that is not an object";
  const r = value as Record<string, unknown>;
  if (typeof r.scenario !== "string") return "an object without a scenario name";
  for (const name of NUMBERS) if (typeof r[name] !== "number") return `an object without a numeric ${name}`;
  if (!Array.isArray(r.workers)) return "an object without a workers array";
  for (const w of r.workers) {
    if (typeof w !== "object" || w === null) return "a workers array with a non-object entry";
    const worker = w as Record<string, unknown>;
    const missing = WORKER_NUMBERS.find((name) => typeof worker[name] !== "number");
    if (missing !== undefined) return `a worker without a numeric ${missing}`;
  }
  if (r.series !== undefined) {
    const series = r.series as Record<string, unknown>;
    if (typeof series !== "object" || series === null || !Array.isArray(series.t))
      return "a series without its t array";
  }
  return undefined;
}

/** The JSON contract back to a RunResult: a worker's numbers outside the fixed fields are its counts. */
function fromJson(r: Record<string, unknown>): RunResult {
  const workers = (r.workers as Array<Record<string, number>>).map((w): WorkerResult => {
    const counts: Record<string, number> = {};
    for (const [name, value] of Object.entries(w)) {
      if (!WORKER_FIELDS.has(name) && typeof value === "number") counts[name] = value;
    }
    return {
      id: w.id!,
      computeTime: w.computeTime!,
      commTime: w.commTime!,
      idleTime: w.idleTime!,
      exposedCommTime: w.exposedCommTime!,
      bytesSent: w.bytesSent!,
      bytesReceived: w.bytesReceived!,
      counts,
    };
  });
  const network = (r.network ?? {}) as Partial<RunResult["network"]>;
  return {
    ...(r as unknown as RunResult),
    stopReason: typeof r.stopReason === "string" ? r.stopReason : "unknown",
    workers,
    collectives: Array.isArray(r.collectives) ? (r.collectives as RunResult["collectives"]) : [],
    network: {
      model: network.model ?? "unknown",
      linkBytesTotal: network.linkBytesTotal ?? 0,
      transfers: network.transfers ?? 0,
    },
    memory: Array.isArray(r.memory) ? (r.memory as RunResult["memory"]) : [],
  };
}
