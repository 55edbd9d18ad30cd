import type { ModelSeries } from "./metrics/model-series.ts";

/**
 * What a run reports. Times in simulated seconds (except `wallTime`, real seconds), sizes in bytes.
 * `runScenario` (run.ts) builds it; the CLI prints it, and `resultToJson` gives its JSON form.
 */
export interface RunResult {
  /** The scenario's name. */
  readonly scenario: string;
  readonly seed: number;
  /** Simulated time reached. */
  readonly simTime: number;
  readonly events: number;
  /** Real seconds the event loop ran (building the cluster excluded). */
  readonly wallTime: number;
  readonly eventsPerSecond: number;
  /** Why the run ended: "time" (horizon), "events" (cap), "drained" (no work left), "stopped". */
  readonly stopReason: string;
  readonly workers: ReadonlyArray<WorkerResult>;
  readonly collectives: ReadonlyArray<CollectiveResult>;
  readonly network: NetworkResult;
  /** Peak memory per worker against its capacity. */
  readonly memory: ReadonlyArray<MemoryResult>;
  /**
   * Training metrics on a regular grid of simulated time and at the end (schedules with numbers only):
   * `t` and one array per metric, all of equal length; metrics the run cannot measure are absent.
   */
  readonly series?: ModelSeries;
}

export interface WorkerResult {
  readonly id: number;
  /** Seconds with a compute running. */
  readonly computeTime: number;
  /** Seconds with a transfer of this worker in flight (overlaps computeTime when hidden behind it). */
  readonly commTime: number;
  /** Seconds with neither. */
  readonly idleTime: number;
  /** Communication seconds not hidden behind compute. */
  readonly exposedCommTime: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** What the schedule counts, by name: gradients, exchanges, transfersSent, … */
  readonly counts: Readonly<Record<string, number>>;
}

export interface CollectiveResult {
  readonly kind: string;
  readonly algorithm: string;
  readonly bytes: number;
  readonly groupSize: number;
  readonly start: number;
  readonly end: number;
}

export interface NetworkResult {
  readonly model: string;
  /** Bytes carried summed over every physical link (a message crossing 3 links counts 3 times). */
  readonly linkBytesTotal: number;
  /** Transfers completed. */
  readonly transfers: number;
}

export interface MemoryResult {
  readonly worker: number;
  /** Peak bytes held. */
  readonly peak: number;
  readonly capacity: number;
  readonly outOfMemory: boolean;
  readonly peakByCategory: Readonly<Record<string, number>>;
}

/** Field names of a worker's JSON entry that a count must not shadow (anything else is a count). */
export const WORKER_FIELDS: ReadonlySet<string> = new Set([
  "id",
  "computeTime",
  "commTime",
  "idleTime",
  "exposedCommTime",
  "bytesSent",
  "bytesReceived",
]);

/**
 * The JSON contract: the result as is, except that each worker's `counts` are flattened into the
 * worker's entry (`{ "id": 0, "computeTime": …, "gradients": 120, "exchanges": 118 }`), so that
 * consumers read `workers[i].gradients` without knowing which schedule produced it.
 */
export function resultToJson(result: RunResult): Record<string, unknown> {
  return {
    ...result,
    workers: result.workers.map(({ counts, ...fixed }) => {
      for (const name of Object.keys(counts)) {
        // A bug in a workload, not a user error: it picked a counter name the contract already uses.
        if (WORKER_FIELDS.has(name)) throw new Error(`worker count "${name}" clashes with a result field`);
      }
      return { ...fixed, ...counts };
    }),
  };
}
