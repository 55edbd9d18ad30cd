import { readFileSync } from "node:fs";
import { join } from "node:path";
import { vi } from "vitest";
import { parse } from "yaml";
import type { Vec } from "../../../kernels/kernels.ts";
import type { RunResult } from "../../../sim/result.ts";
import { runScenario } from "../../../sim/run.ts";
import { decodeScenario } from "../../../sim/scenario/decode.ts";
import type { Scenario } from "../../../sim/scenario/types.ts";
import { dadao } from "../../../sim/schedules/dadao.ts";
import type { Operations, RunningSchedule } from "../../../sim/schedules/operations.ts";

export const papers = join(import.meta.dirname, "../../../scenarios/papers");

export function loadPaperScenario(file: string): Scenario {
  return decodeScenario(parse(readFileSync(join(papers, file), "utf8")) as unknown);
}

export interface ObservedRun {
  readonly result: RunResult;
  /** The operations the schedule ran on (its vectors as the run left them). */
  readonly ops: Operations;
  /** What `dadao.start` returned: each worker's model, integrated to the end time. */
  readonly running: RunningSchedule;
}

/** Runs a DADAO scenario, keeping hold of the schedule's operations and running instance (a spy on `start`). */
export function observeDadao(scenario: Scenario): ObservedRun {
  const spy = vi.spyOn(dadao, "start");
  try {
    const result = runScenario(scenario);
    const [call] = spy.mock.calls;
    const [outcome] = spy.mock.results;
    if (call === undefined || outcome?.type !== "return") throw new Error("dadao.start was not called");
    return { result, ops: call[0], running: outcome.value };
  } finally {
    spy.mockRestore();
  }
}

/** Σ over workers of a per-worker counter. */
export function total(result: RunResult, counter: string): number {
  return result.workers.reduce((sum, w) => sum + (w.counts[counter] ?? 0), 0);
}

/** x̄ = (1/n) Σ x_i(now), accumulated in float64 from each worker's model. */
export function averagedModel(run: ObservedRun): Float64Array {
  const { ops, running } = run;
  const out: Vec = ops.kernels.alloc(ops.problem.dimension);
  const mean = new Float64Array(ops.problem.dimension);
  for (let w = 0; w < ops.workers; w++) {
    running.model(w, out);
    for (let k = 0; k < mean.length; k++) mean[k]! += out.data![k]! / ops.workers;
  }
  return mean;
}

/** A decoded DADAO scenario from plain fields (the YAML's shape). */
export function dadaoScenario(options: {
  readonly seed?: number;
  readonly workers: number;
  readonly topology: Record<string, unknown>;
  readonly time: number;
  readonly fidelity?: "theory" | "systems";
  readonly dimension?: number;
  readonly device?: Record<string, unknown>;
  readonly sampleEvery?: number;
}): Scenario {
  return decodeScenario({
    seed: options.seed ?? 1,
    cluster: { workers: options.workers, topology: options.topology, device: options.device ?? {} },
    problem: {
      kind: "least-squares",
      dimension: options.dimension ?? 4,
      samplesPerWorker: 100,
      batchSize: 100,
    },
    schedule: {
      kind: "dadao",
      fidelity: options.fidelity ?? "theory",
      ...(options.sampleEvery === undefined ? {} : { sampleEvery: options.sampleEvery }),
    },
    stop: { time: options.time },
  });
}
