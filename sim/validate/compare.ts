import type { RunResult, WorkerResult } from "../result.ts";

/**
 * Prediction against measurement: the simulator's result for a scenario and the runtime's result for
 * the same scenario and seed, reduced to the metrics users plan with, each with its relative error.
 *
 * Relative error is |measured − predicted| / max(|measured|, floor). The floor matters only for
 * quantities that can be near zero: an idle fraction of 0.01 predicted as 0.02 is a 100 % relative
 * miss of no practical meaning, so fractions use a floor of 0.05 (five points of the run); other
 * metrics use a floor of 0 (plain relative error). [our convention]
 */
export interface ValidationMetric {
  /** e.g. "time per gradient (s)", "idle fraction, worker 3". */
  readonly name: string;
  /** Time-based metrics count towards the issue's ≤ 10 % average / ≤ 25 % max target; loss does not. */
  readonly timeBased: boolean;
  readonly predicted: number;
  /** The measurement; with several runs (`combineReports`), their median. */
  readonly measured: number;
  readonly relativeError: number;
  /** The relative error's floor (see above): 0.05 for fractions, else 0. */
  readonly floor: number;
  /** Every run's measurement, when the report combines several runs. */
  readonly measuredRuns?: readonly number[];
}

export interface ValidationReport {
  readonly metrics: readonly ValidationMetric[];
  /** Over the time-based metrics (those at exactly 0 on both sides excepted: they agree by construction). */
  readonly averageError: number;
  readonly maxError: number;
  /** Over every metric, loss included. */
  readonly averageErrorAll: number;
  readonly maxErrorAll: number;
}

const FRACTION_FLOOR = 0.05;

export function relativeError(predicted: number, measured: number, floor = 0): number {
  const scale = Math.max(Math.abs(measured), floor);
  if (scale === 0) return predicted === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.abs(measured - predicted) / scale;
}

function metric(
  name: string,
  timeBased: boolean,
  predicted: number,
  measured: number,
  floor = 0,
): ValidationMetric {
  return {
    name,
    timeBased,
    predicted,
    measured,
    relativeError: relativeError(predicted, measured, floor),
    floor,
  };
}

function total(workers: readonly WorkerResult[], count: string): number {
  let sum = 0;
  for (const w of workers) sum += w.counts[count] ?? 0;
  return sum;
}

/** Mean over workers that did any of `count` of `seconds(w) / w.counts[count]`. */
function meanPer(
  workers: readonly WorkerResult[],
  count: string,
  seconds: (w: WorkerResult) => number,
): number {
  let sum = 0;
  let n = 0;
  for (const w of workers) {
    const c = w.counts[count] ?? 0;
    if (c > 0) {
      sum += seconds(w) / c;
      n++;
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}

function meanCollectiveSeconds(result: RunResult): number {
  if (result.collectives.length === 0) return Number.NaN;
  let sum = 0;
  for (const c of result.collectives) sum += c.end - c.start;
  return sum / result.collectives.length;
}

/** The value of a series at time t, linearly interpolated (NaN outside its range). */
export function valueAt(t: readonly number[], values: readonly number[], time: number): number {
  if (t.length === 0 || time < t[0]! || time > t[t.length - 1]!) return Number.NaN;
  let hi = 0;
  while (t[hi]! < time) hi++;
  if (t[hi] === time || hi === 0) return values[hi]!;
  const lo = hi - 1;
  const f = (time - t[lo]!) / (t[hi]! - t[lo]!);
  return values[lo]! + f * (values[hi]! - values[lo]!);
}

/** Times at which both runs' losses are compared: quarters of the shorter run. */
const LOSS_FRACTIONS = [0.25, 0.5, 0.75, 1];

/** The count of gradients in a result: decentralized schedules count "gradients", the synchronous ones
 * "microBatches" (one gradient each). */
export function gradientCounter(result: RunResult): "gradients" | "microBatches" {
  return result.workers.some((w) => (w.counts.gradients ?? 0) > 0) ? "gradients" : "microBatches";
}

export function compareResults(predicted: RunResult, measured: RunResult): ValidationReport {
  const metrics: ValidationMetric[] = [];
  const add = (m: ValidationMetric) => {
    if (Number.isFinite(m.predicted) && Number.isFinite(m.measured)) metrics.push(m);
  };
  const gradients = gradientCounter(predicted);
  add(
    metric(
      "time per gradient (s)",
      true,
      meanPer(predicted.workers, gradients, (w) => w.computeTime),
      meanPer(measured.workers, gradients, (w) => w.computeTime),
    ),
  );
  add(
    metric(
      "time per exchange (s)",
      true,
      meanPer(predicted.workers, "exchanges", (w) => w.commTime),
      meanPer(measured.workers, "exchanges", (w) => w.commTime),
    ),
  );
  // The runtime times collectives with the network model itself (their bytes are reduced on the host,
  // not moved), so this agrees by construction: shown, never counted as a validated time.
  add(
    metric(
      "time per collective (s), modelled on both",
      false,
      meanCollectiveSeconds(predicted),
      meanCollectiveSeconds(measured),
    ),
  );
  // Run time says something only when the run stopped on its work, not on the clock: two runs cut at
  // the same horizon agree on it trivially, and counting that would flatter the average.
  if (predicted.stopReason !== "time" && measured.stopReason !== "time")
    add(metric("run time (s)", true, predicted.simTime, measured.simTime));
  add(
    metric(
      "throughput (gradients/s)",
      true,
      total(predicted.workers, gradients) / predicted.simTime,
      total(measured.workers, gradients) / measured.simTime,
    ),
  );
  const n = Math.min(predicted.workers.length, measured.workers.length);
  for (let w = 0; w < n; w++) {
    const p = predicted.workers[w]!;
    const m = measured.workers[w]!;
    add(
      metric(
        `idle fraction, worker ${w}`,
        true,
        p.idleTime / predicted.simTime,
        m.idleTime / measured.simTime,
        FRACTION_FLOOR,
      ),
    );
  }
  const ps = predicted.series;
  const ms = measured.series;
  if (ps?.loss !== undefined && ms?.loss !== undefined) {
    const end = Math.min(ps.t.at(-1) ?? 0, ms.t.at(-1) ?? 0);
    for (const f of LOSS_FRACTIONS) {
      const time = f * end;
      add(
        metric(
          `loss at t = ${time.toPrecision(3)} s`,
          false,
          valueAt(ps.t, ps.loss, time),
          valueAt(ms.t, ms.loss, time),
        ),
      );
    }
  }
  return summarize(metrics);
}

/**
 * One report from several measured runs of the same prediction: each metric measured in every run
 * is compared at the median of its measurements (a 2-core machine's timings jump from run to run;
 * one unlucky run should not decide), and keeps every run's value in `measuredRuns`.
 */
export function combineReports(reports: readonly ValidationReport[]): ValidationReport {
  if (reports.length === 1) return reports[0]!;
  const metrics: ValidationMetric[] = [];
  for (const first of reports[0]?.metrics ?? []) {
    const runs = reports.map((r) => r.metrics.find((m) => m.name === first.name)?.measured);
    if (runs.some((v) => v === undefined)) continue;
    const values = runs as number[];
    const measured = median(values);
    metrics.push({
      ...first,
      measured,
      relativeError: relativeError(first.predicted, measured, first.floor),
      measuredRuns: values,
    });
  }
  return summarize(metrics);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summarize(metrics: readonly ValidationMetric[]): ValidationReport {
  // A metric both sides put at exactly zero (no idle time at all, say) is listed but not averaged:
  // it agrees by construction, and eight such zeros would dilute the misses that matter.
  const averaged = metrics.filter((m) => !(m.predicted === 0 && m.measured === 0));
  const timed = averaged.filter((m) => m.timeBased);
  return {
    metrics,
    averageError: mean(timed.map((m) => m.relativeError)),
    maxError: max(timed.map((m) => m.relativeError)),
    averageErrorAll: mean(averaged.map((m) => m.relativeError)),
    maxErrorAll: max(averaged.map((m) => m.relativeError)),
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

function max(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}
