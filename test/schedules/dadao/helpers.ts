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
import type { WorkerModel } from "../../../sim/schedules/definition.ts";
import type { Worker } from "../../../sim/schedules/worker.ts";

export const papers = join(import.meta.dirname, "../../../scenarios/papers");

export function loadPaperScenario(file: string): Scenario {
  return decodeScenario(parse(readFileSync(join(papers, file), "utf8")) as unknown);
}

/** Every worker's state, read by a test through the handles the schedule was started with. */
export interface ObservedWorkers {
  readonly workers: number;
  readonly problem: Worker["problem"];
  readonly graph: Worker["graph"];
  readonly kernels: Worker["kernels"];
  vector(w: number, name: string): Vec;
  meanGradientTime(w: number): number;
}

export interface ObservedRun {
  readonly result: RunResult;
  /** The workers the schedule ran on (their vectors as the run left them). */
  readonly ops: ObservedWorkers;
  /** What `dadao.start` returned for each worker: its model, integrated to the end time. */
  readonly running: { model(w: number, out: Vec): void };
}

/** Runs a DADAO scenario, keeping hold of every worker's handle and model (a spy on `start`). */
export function observeDadao(scenario: Scenario): ObservedRun {
  const spy = vi.spyOn(dadao, "start");
  try {
    const result = runScenario(scenario);
    const handles: Worker[] = spy.mock.calls.map((call) => call[0]);
    const models: WorkerModel[] = spy.mock.results.map((outcome) => {
      if (outcome.type !== "return") throw new Error("dadao.start did not return");
      return outcome.value;
    });
    const first = handles[0];
    if (first === undefined) throw new Error("dadao.start was not called");
    const ops: ObservedWorkers = {
      workers: handles.length,
      problem: first.problem,
      graph: first.graph,
      kernels: first.kernels,
      vector: (w, name) => handles[w]!.vector(name),
      meanGradientTime: (w) => handles[w]!.meanGradientTime(),
    };
    return { result, ops, running: { model: (w, out) => models[w]!.model(out) } };
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
