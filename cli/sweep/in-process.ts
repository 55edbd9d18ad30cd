import { basename, extname } from "node:path";
import { InputError } from "../../sim/errors.ts";
import { type RunResult, resultToJson } from "../../sim/result.ts";
import { type RunOptions, runScenario } from "../../sim/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";
import { applySet } from "../../sim/scenario/overrides.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import { loadScenarioFile } from "../load.ts";
import { type Grid, parseGrids, type SweepRun, sweepRuns } from "./grid.ts";
import { headlineMetrics } from "./metrics.ts";
import type { MeanInterval } from "./stats.ts";
import { type RunRecord, summarize } from "./tables.ts";

/**
 * `dtsim sweep` as a library call: the same grid (cross product, first field outermost), the same seeds
 * (the scenario's, then the next K − 1, at every point), the same metrics and the same means and 95 %
 * intervals as runs.csv and summary.csv, but run one after another in this process, with no folder.
 */

export interface SweepInput extends Pick<RunOptions, "kernels"> {
  /**
   * The fields to vary, by dotted path, each with its values as they would be written in the file
   * (`{ "cluster.workers": [8, 16], "cluster.network.bandwidth": ["10 Gb/s", "100 Gb/s"] }`).
   * Left out or empty: one point, the scenario as it is.
   */
  readonly grid?: Readonly<Record<string, ReadonlyArray<unknown>>>;
  /** Runs per point (K ≥ 1, default 1), with seeds S, S+1, …, S+K−1 where S is the scenario's seed. */
  readonly seeds?: number;
  /** `path=value` assignments applied to every run before the grid's values, as `dtsim sweep --set`. */
  readonly set?: ReadonlyArray<string>;
}

/** One run of a sweep. */
export interface SweepRow {
  /** The grid's value at this run's point, by path. */
  readonly point: Readonly<Record<string, unknown>>;
  readonly seed: number;
  /** The headline numbers of runs.csv: simTime, events, mean compute/comm/idle time, loss, counts… */
  readonly metrics: Readonly<Record<string, number>>;
  readonly result: RunResult;
}

/** One grid point, over its seeds: summary.csv's row. */
export interface SweepAggregate {
  readonly point: Readonly<Record<string, unknown>>;
  /** How many runs (seeds) the statistics are over. */
  readonly runs: number;
  /** Each metric's mean over the seeds and, with two seeds or more, its 95 % Student-t interval. */
  readonly metrics: Readonly<Record<string, MeanInterval>>;
}

export interface SweepResult {
  /** Every run, points in grid order, seeds innermost. */
  readonly rows: ReadonlyArray<SweepRow>;
  /** One per grid point, in the same order. */
  readonly aggregates: ReadonlyArray<SweepAggregate>;
}

/**
 * Runs `scenario` (a file's path, or the scenario as an object written as in a file) at every point of
 * `input.grid` with `input.seeds` seeds each, in this process, and returns every run's metrics and
 * each point's mean and 95 % interval over its seeds. Every point is decoded before the first run, so
 * a bad value throws its `InputError` before any time is spent.
 */
export function sweep(scenario: string | object, input: SweepInput = {}): SweepResult {
  const sets = input.set ?? [];
  const seeds = input.seeds ?? 1;
  if (!Number.isSafeInteger(seeds) || seeds < 1) throw new InputError("seeds", seeds, "a positive integer");
  const entries = Object.entries(input.grid ?? {});
  // Each value as YAML text (JSON is YAML): the grid's parser then checks it as it checks --grid.
  const grids = parseGrids(
    entries.map(([path, values]) => `${path}=${values.map((value) => JSON.stringify(value)).join(",")}`),
    sets,
  );
  const base = typeof scenario === "string" ? loadScenarioFile(scenario) : scenario;
  const defaultName = typeof scenario === "string" ? basename(scenario, extname(scenario)) : undefined;
  const decodeAt = (assignments: ReadonlyArray<string>, seed?: number): Scenario => {
    let raw: unknown = base;
    for (const assignment of [...sets, ...assignments]) if (isObject(raw)) raw = applySet(raw, assignment);
    if (seed !== undefined && isObject(raw)) raw = { ...raw, seed };
    return decodeScenario(raw, defaultName === undefined ? {} : { defaultName });
  };
  const runs = sweepRuns(grids, seeds, decodeAt(grids.map((grid) => `${grid.path}=${grid.values[0]!}`)).seed);
  const scenarios = runs.map((run) => decodeAt(run.point.assignments, run.seed));
  const options = input.kernels === undefined ? {} : { kernels: input.kernels };
  const rows = runs.map((run, i): SweepRow & { readonly run: SweepRun } => {
    const result = runScenario(scenarios[i]!, options);
    const metrics = Object.fromEntries(headlineMetrics(resultToJson(result)));
    return { run, point: pointOf(grids, entries, run), seed: run.seed, metrics, result };
  });
  const records: RunRecord[] = rows.map(({ run, metrics, result }) => ({
    run,
    status: "ok",
    metrics: new Map(Object.entries(metrics)),
    wallTime: result.wallTime,
  }));
  const aggregates = summarize(records).map((summary) => ({
    point: pointOf(grids, entries, summary.runs[0]!.run),
    runs: summary.ok,
    metrics: Object.fromEntries(
      [...summary.stats].flatMap(([name, stats]) => (stats === undefined ? [] : [[name, stats]])),
    ),
  }));
  return { rows: rows.map(({ run: _run, ...row }) => row), aggregates };
}

/** The run's value of each grid, as the caller gave it. */
function pointOf(
  grids: ReadonlyArray<Grid>,
  entries: ReadonlyArray<readonly [string, ReadonlyArray<unknown>]>,
  run: SweepRun,
): Record<string, unknown> {
  return Object.fromEntries(grids.map((grid, g) => [grid.path, entries[g]![1][run.point.choice[g]!]]));
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
