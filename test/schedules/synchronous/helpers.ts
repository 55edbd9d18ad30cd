import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { Vec } from "../../../kernels/kernels.ts";
import type { Problem } from "../../../sim/problems/problem.ts";
import type { RunResult, WorkerResult } from "../../../sim/result.ts";
import { runScenario } from "../../../sim/run.ts";
import { decodeScenario } from "../../../sim/scenario/decode.ts";
import { applySet } from "../../../sim/scenario/overrides.ts";
import { scheduleRegistry } from "../../../sim/scenario/registry/schedules.ts";
import type { Scenario } from "../../../sim/scenario/types.ts";
import type { ScheduleDefinition, WorkerModel } from "../../../sim/schedules/definition.ts";

export type Raw = Record<string, unknown>;

const papers = join(import.meta.dirname, "../../../scenarios/papers");

/** A file of scenarios/papers with `--set` assignments applied, decoded as the CLI does. */
export function paperScenario(file: string, ...assignments: string[]): Scenario {
  let raw = parse(readFileSync(join(papers, file), "utf8")) as object;
  for (const a of assignments) raw = applySet(raw, a);
  return decodeScenario(raw);
}

/** Sum of a count over the workers. */
export function total(result: RunResult, name: string): number {
  return result.workers.reduce((sum, w) => sum + count(w, name), 0);
}

export function count(worker: WorkerResult, name: string): number {
  return worker.counts[name] ?? 0;
}

/** What a capturing run saw: the problem, and every worker's model at each observation time. */
export interface Captured {
  readonly result: RunResult;
  readonly problem: Problem;
  /** snapshots[i][w]: worker w's model at observation i. */
  readonly snapshots: Float32Array[][];
  /** Mean seconds of one micro-batch on worker 0 (1 in theory mode). */
  readonly microBatchTime: number;
}

/**
 * Runs `scenario` with its synchronous schedule wrapped so that a test process, spawned through the
 * schedule's own `Operations`, reads every worker's model at the times `at(T)` gives (T: the mean
 * micro-batch time of worker 0). The registry entry is restored afterwards.
 */
export function runCapturing(
  scenario: Scenario,
  at: (microBatchTime: number) => readonly number[],
): Captured {
  const entry = scheduleRegistry.get(scenario.schedule.kind) as ScheduleDefinition & {
    start: ScheduleDefinition["start"];
  };
  const original = { start: entry.start };
  const snapshots: Float32Array[][] = [];
  const models: WorkerModel[] = [];
  let seen: { problem: Problem; T: number } | undefined;
  Object.assign(entry, {
    start(worker: Parameters<ScheduleDefinition["start"]>[0], params: unknown, constants: unknown) {
      const model = original.start(worker, params, constants);
      models[worker.rank] = model;
      if (worker.rank !== 0) return model;
      // Worker 0's handle carries the observer process; every worker has started before it runs.
      const T = worker.meanGradientTime();
      // The test reads the whole problem (its data, for reference trajectories): a schedule sees only facts.
      seen = { problem: worker.problem as Problem, T };
      worker.spawn(
        "test-observer",
        (function* () {
          let now = 0;
          const out: Vec = worker.kernels.alloc(worker.problem.dimension);
          for (const t of at(T)) {
            yield worker.sleep(t - now);
            now = t;
            snapshots.push(
              models.map((m) => {
                m.model(out);
                // Inside a synchronous event on CPU kernels: the numbers straight from `data` (a copy),
                // not the asynchronous Kernels.read.
                return out.data!.slice();
              }),
            );
          }
        })(),
      );
      return model;
    },
  });
  try {
    const result = runScenario(scenario);
    return { result, problem: seen!.problem, snapshots, microBatchTime: seen!.T };
  } finally {
    Object.assign(entry, original);
  }
}

/** Largest |a_i − b_i| / (1 + |b_i|). */
export function relativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return worst;
}
