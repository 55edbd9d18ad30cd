import { createHash } from "node:crypto";
import { stringify } from "yaml";
import packageJson from "../../package.json" with { type: "json" };

/** The BullMQ queue every `dtsim sweep --queue` and `dtsim worker` on one Redis database share. */
export const QUEUE_NAME = "dtsim-runs";

/**
 * One run, as a job: everything a worker on another machine needs, with no file of the sweeping
 * machine's. The scenario is the file's content with the sweep's --set and the grid point's values
 * applied, written back as YAML (which, unlike JSON, keeps .inf and .nan); the worker writes it to
 * `<name>.yaml` so that an unnamed scenario gets the same default name as in a local sweep.
 */
export interface RunJob {
  /** The dtsim version that enqueued it: a worker of another version refuses the job. */
  readonly dtsim: string;
  /** The scenario file's name without its extension. */
  readonly name: string;
  readonly scenario: string;
  readonly seed: number;
}

/** What a worker returns: `dtsim run --json`'s output, as text, and where it ran. */
export interface RunJobResult {
  readonly json: string;
  readonly worker: string;
}

export function runJob(name: string, raw: unknown, seed: number): RunJob {
  return { dtsim: packageJson.version, name, scenario: stringify(raw), seed };
}

/**
 * The job id: a hash of the job (version, name, effective scenario, seed). Enqueuing the same run
 * again, from the same sweep resumed or from another sweep that happens to contain it, finds the job
 * already there (BullMQ ignores an add whose id exists) and so never runs it twice.
 */
export function runJobId(job: RunJob): string {
  const digest = createHash("sha256").update(JSON.stringify([job.dtsim, job.name, job.scenario, job.seed]));
  return `run-${digest.digest("hex").slice(0, 40)}`;
}

/** The job's data if it has RunJob's shape (Redis is shared: anything could be in it). */
export function readRunJob(data: unknown): RunJob | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { dtsim, name, scenario, seed } = data as Record<string, unknown>;
  if (typeof dtsim !== "string" || typeof name !== "string" || typeof scenario !== "string") return undefined;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) return undefined;
  // The name becomes a file name in the worker's temporary folder: one plain component only.
  if (!/^[^/\\\0]{1,200}$/.test(name) || name === "." || name === "..") return undefined;
  return { dtsim, name, scenario, seed };
}

export function readRunJobResult(value: unknown): RunJobResult | undefined {
  const parsed = typeof value === "string" ? safeParse(value) : value;
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { json, worker } = parsed as Record<string, unknown>;
  return typeof json === "string" && typeof worker === "string" ? { json, worker } : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
