import { WORKER_FIELDS } from "../../sim/result.ts";

/**
 * The headline numbers of one run, read from its result JSON (the `dtsim run --json` contract of
 * sim/result.ts): what runs.csv lists and summary.csv averages over seeds.
 */

/** Metric name → value; a metric the run does not have is absent. */
export type Metrics = ReadonlyMap<string, number>;

/** The fixed metrics, in column order: every run has the first ones, training runs the last ones. */
export const HEADLINE_METRICS = [
  "simTime",
  "events",
  "computeTime",
  "commTime",
  "exposedCommTime",
  "idleTime",
  "bytesSent",
  "loss",
  "consensus",
  "distanceToOptimum",
  "accuracy",
] as const;

const SERIES = ["loss", "consensus", "distanceToOptimum", "accuracy"] as const;

/**
 * simTime and events; computeTime, commTime, exposedCommTime and idleTime as means over workers;
 * bytesSent summed over workers; the final loss, consensus, distanceToOptimum and accuracy where the
 * run samples them; then the mean over workers of each count the schedule keeps (gradients,
 * exchanges, microBatches, samples, …), after the headline metrics, in the order they appear.
 */
export function headlineMetrics(result: Readonly<Record<string, unknown>>): Map<string, number> {
  const metrics = new Map<string, number>();
  const put = (name: string, value: unknown) => {
    if (typeof value === "number" && Number.isFinite(value)) metrics.set(name, value);
  };
  put("simTime", result.simTime);
  put("events", result.events);
  const workers = Array.isArray(result.workers)
    ? result.workers.filter((w): w is Record<string, unknown> => typeof w === "object" && w !== null)
    : [];
  if (workers.length > 0) {
    for (const name of ["computeTime", "commTime", "exposedCommTime", "idleTime"]) {
      put(name, meanOf(workers, name));
    }
    put("bytesSent", sumOf(workers, "bytesSent"));
  }
  const series = result.series;
  if (typeof series === "object" && series !== null) {
    for (const name of SERIES) {
      const values = (series as Record<string, unknown>)[name];
      if (Array.isArray(values) && values.length > 0) put(name, values[values.length - 1]);
    }
  }
  const counts: string[] = [];
  for (const worker of workers) {
    for (const [name, value] of Object.entries(worker)) {
      if (typeof value === "number" && !WORKER_FIELDS.has(name) && !counts.includes(name)) counts.push(name);
    }
  }
  for (const name of counts) {
    if (!metrics.has(name) && !(HEADLINE_METRICS as ReadonlyArray<string>).includes(name)) {
      put(name, meanOf(workers, name));
    }
  }
  return metrics;
}

/** Whether a parsed run file is a finished result (an object with a numeric simTime and events). */
export function isResult(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return typeof record.simTime === "number" && typeof record.events === "number";
}

/** The metric columns for a set of runs: the headline ones any run has, then the counts, as first met. */
export function metricColumns(runs: Iterable<Metrics>): string[] {
  const present = new Set<string>();
  const extra: string[] = [];
  for (const metrics of runs) {
    for (const name of metrics.keys()) {
      if ((HEADLINE_METRICS as ReadonlyArray<string>).includes(name)) present.add(name);
      else if (!extra.includes(name)) extra.push(name);
    }
  }
  return [...HEADLINE_METRICS.filter((name) => present.has(name)), ...extra];
}

function meanOf(workers: ReadonlyArray<Record<string, unknown>>, name: string): number | undefined {
  const values = workers.map((w) => w[name]).filter((v): v is number => typeof v === "number");
  if (values.length === 0) return undefined;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function sumOf(workers: ReadonlyArray<Record<string, unknown>>, name: string): number | undefined {
  const values = workers.map((w) => w[name]).filter((v): v is number => typeof v === "number");
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
}
