import { describeValue, InputError } from "../../sim/errors.ts";
import { readYaml } from "../../sim/scenario/yaml-limits.ts";

/** One `--grid path=v1,v2,…`: the path, and each value as written (trimmed) and as YAML reads it. */
export interface Grid {
  readonly path: string;
  /** The values as written, trimmed: what the runs' `--set path=value` get, and the CSV columns. */
  readonly values: ReadonlyArray<string>;
  /** The same values read as YAML, as `--set` reads them. */
  readonly parsed: ReadonlyArray<unknown>;
}

/** One combination of grid values. */
export interface GridPoint {
  /** Position in the cross product, first grid outermost. */
  readonly index: number;
  /** The value index in each grid, in grid order. */
  readonly choice: ReadonlyArray<number>;
  /** `path=value` for each grid, in grid order: the run's --set assignments after the sweep's own. */
  readonly assignments: ReadonlyArray<string>;
}

/** One run of a sweep: a grid point and a seed. */
export interface SweepRun {
  /** Position in the sweep: point-major, seeds innermost. */
  readonly index: number;
  /** File name stem under DIR/runs: stable for a given definition, safe on every file system. */
  readonly id: string;
  readonly point: GridPoint;
  /** 0 … K−1. */
  readonly seedIndex: number;
  readonly seed: number;
}

const SYNTAX = "PATH=V1,V2,… (the values read as YAML, e.g. cluster.workers=8,16,32)";

/**
 * Reads a `--grid` argument. Values are split on the commas that are not inside brackets, braces or
 * quotes, so that `schedule={kind: gossip, lr: 0.1},{kind: a2cid2, lr: 0.1}` is a grid of two objects.
 */
export function parseGrid(spec: string): Grid {
  const equals = spec.indexOf("=");
  if (equals < 0) throw new InputError("--grid", spec, SYNTAX);
  const path = spec.slice(0, equals).trim();
  const keys = path.split(".");
  if (path === "" || keys.some((key) => key === "" || key !== key.trim())) {
    throw new InputError("--grid", spec, SYNTAX);
  }
  if (keys[0] === "seed") {
    throw new InputError("--grid", spec, "a path other than seed (the seeds are set by --seeds)");
  }
  const pieces = splitTopLevel(spec.slice(equals + 1));
  const values = pieces.map((piece) => piece.trim());
  if (values.some((value) => value === "")) {
    throw new InputError("--grid", spec, `${SYNTAX}, with no empty value`);
  }
  const parsed = values.map((value) => parseValue(value, spec));
  const seen = new Map<string, string>();
  parsed.forEach((value, i) => {
    const key = JSON.stringify(value) ?? String(value);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new InputError("--grid", spec, `distinct values (${earlier} and ${values[i]} are the same)`);
    }
    seen.set(key, values[i]!);
  });
  return { path, values, parsed };
}

/** Reads every --grid, refusing a path given twice or also given to --set. */
export function parseGrids(specs: ReadonlyArray<string>, sets: ReadonlyArray<string>): Grid[] {
  const grids = specs.map(parseGrid);
  const paths = new Set<string>();
  for (const grid of grids) {
    if (paths.has(grid.path)) {
      throw new InputError("--grid", grid.path, "each path in one --grid only");
    }
    paths.add(grid.path);
  }
  for (const assignment of sets) {
    const path = assignment.slice(0, Math.max(0, assignment.indexOf("="))).trim();
    if (paths.has(path)) {
      throw new InputError("--set", assignment, `a path that no --grid sweeps (${path} is swept)`);
    }
  }
  return grids;
}

/** The cross product of the grids, first grid outermost (a sweep with no grid has one point). */
export function gridPoints(grids: ReadonlyArray<Grid>): GridPoint[] {
  const points: GridPoint[] = [];
  const total = grids.reduce((n, grid) => n * grid.values.length, 1);
  for (let index = 0; index < total; index++) {
    const choice: number[] = new Array<number>(grids.length);
    let rest = index;
    for (let g = grids.length - 1; g >= 0; g--) {
      const size = grids[g]!.values.length;
      choice[g] = rest % size;
      rest = Math.floor(rest / size);
    }
    const assignments = grids.map((grid, g) => `${grid.path}=${grid.values[choice[g]!]!}`);
    points.push({ index, choice, assignments });
  }
  return points;
}

/**
 * Every run of the sweep: each grid point times K seeds, `baseSeed + 0 … K−1` (the scenario's own
 * seed first, so that K = 1 runs the scenario as written), points in cross-product order, seeds
 * innermost. The same seeds at every point: differences between points are not seed noise.
 */
export function sweepRuns(grids: ReadonlyArray<Grid>, seeds: number, baseSeed: number): SweepRun[] {
  checkRunCount(grids, seeds, baseSeed);
  const points = gridPoints(grids);
  const labels = grids.map(valueLabels);
  const width = String(Math.max(0, points.length - 1)).length;
  return points.flatMap((point) =>
    Array.from({ length: seeds }, (_, seedIndex) => {
      const seed = baseSeed + seedIndex;
      const slug = grids.map((grid, g) => `${lastKey(grid.path)}=${labels[g]![point.choice[g]!]!}`);
      const id = sanitize([String(point.index).padStart(width, "0"), ...slug, `seed${seed}`].join("-"));
      return { index: point.index * seeds + seedIndex, id, point, seedIndex, seed };
    }),
  );
}

/**
 * The most runs one sweep may have. Each run is a process and a row in memory and in runs.csv; far
 * past this, the run list alone exhausts the heap (`--seeds 1000000000` aborted V8 with a heap dump).
 */
export const MAX_SWEEP_RUNS = 100_000;

/** Refuses a sweep of more than MAX_SWEEP_RUNS runs, or with seeds past 2^53 (no longer exact integers). */
function checkRunCount(grids: ReadonlyArray<Grid>, seeds: number, baseSeed: number): void {
  const points = grids.reduce((product, grid) => product * grid.values.length, 1);
  if (points * seeds > MAX_SWEEP_RUNS) {
    const flag = seeds > 1 ? "--seeds" : "--grid";
    throw new InputError(
      flag,
      flag === "--seeds" ? String(seeds) : `${points} grid points`,
      `a sweep of at most ${MAX_SWEEP_RUNS} runs (${points} grid point(s) × ${seeds} seed(s) is ${points * seeds})`,
    );
  }
  if (seeds - 1 > Number.MAX_SAFE_INTEGER - baseSeed) {
    throw new InputError(
      "--seeds",
      String(seeds),
      `seeds that stay at most 2^53 − 1 from the base seed ${baseSeed}`,
    );
  }
}

/**
 * Short names for a grid's values, for people (progress lines, plot legends, run ids): the value as
 * written, except that a grid of objects with distinct `kind`s (`schedule={kind: gossip, …},…`) is
 * named by those kinds.
 */
export function valueLabels(grid: Grid): string[] {
  const kinds = grid.parsed.map(kindOf);
  if (kinds.every((kind) => kind !== undefined) && new Set(kinds).size === kinds.length) {
    return kinds as string[];
  }
  return [...grid.values];
}

/** Whether a grid chooses the schedule's kind: `schedule.kind=…`, or `schedule={kind: …},…`. */
export function isScheduleKindGrid(grid: Grid): boolean {
  if (grid.path === "schedule.kind") return true;
  return grid.path === "schedule" && grid.parsed.every((value) => kindOf(value) !== undefined);
}

/** `path=label` of each grid at a point, for a progress line. */
export function describePoint(grids: ReadonlyArray<Grid>, point: GridPoint): string {
  return grids
    .map((grid, g) => {
      const label = valueLabels(grid)[point.choice[g]!]!;
      return grid.path === "schedule" && isScheduleKindGrid(grid)
        ? `schedule.kind=${label}`
        : `${grid.path}=${label}`;
    })
    .join(" ");
}

function kindOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const kind = (value as Record<string, unknown>).kind;
  return typeof kind === "string" ? kind : undefined;
}

function lastKey(path: string): string {
  return path.slice(path.lastIndexOf(".") + 1);
}

/** Letters, digits and `._=+-` kept, runs of anything else one `_`, at most 120 characters. */
function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9._=+-]+/g, "_").slice(0, 120);
}

function parseValue(text: string, spec: string): unknown {
  // The scenario file's budgets (nesting, aliases): a grid value is scenario input too.
  const read = readYaml(text);
  if (!read.ok) {
    throw new InputError(
      "--grid",
      spec,
      `values written as in YAML (${describeValue(text)}: ${read.reason})`,
    );
  }
  return read.value;
}

/**
 * Splits on commas outside `[…]`, `{…}`, `"…"` and `'…'`. As in YAML, a quote opens a quoted scalar
 * only where a scalar starts (first in a value, or after `[`, `{`, `,` or `:`): `it's` is plain text.
 */
export function splitTopLevel(text: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let quote: '"' | "'" | undefined;
  let start = 0;
  // The last character that is not a space, since the current value began ("" at its start).
  let previous = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === '"') {
      if (c === "\\") i++;
      else if (c === '"') quote = undefined;
    } else if (quote === "'") {
      // '' inside single quotes is an escaped quote: the second one reopens at once.
      if (c === "'") quote = undefined;
    } else if ((c === '"' || c === "'") && (previous === "" || "[{,:".includes(previous))) {
      quote = c;
    } else if (c === "[" || c === "{") {
      depth++;
    } else if (c === "]" || c === "}") {
      depth = Math.max(0, depth - 1);
    } else if (c === "," && depth === 0) {
      pieces.push(text.slice(start, i));
      start = i + 1;
      previous = "";
      continue;
    }
    if (c.trim() !== "") previous = c;
  }
  pieces.push(text.slice(start));
  return pieces;
}
