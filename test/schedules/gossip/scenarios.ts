import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CpuKernels } from "../../../kernels/cpu.ts";
import { RandomStreams } from "../../../sim/engine/index.ts";
import type { RunResult } from "../../../sim/result.ts";
import { runScenario } from "../../../sim/run.ts";
import { decodeScenario } from "../../../sim/scenario/decode.ts";
import { applySet } from "../../../sim/scenario/overrides.ts";
import { buildProblem } from "../../../sim/scenario/registry/problem-kinds.ts";
import type { Scenario } from "../../../sim/scenario/types.ts";

export const papers = join(import.meta.dirname, "../../../scenarios/papers");

/** A raw scenario from scenarios/papers, as parsed from its YAML. */
export function loadPaper(file: string): object {
  return parse(readFileSync(join(papers, file), "utf8")) as object;
}

/** `raw` with each `--set` assignment applied in order. */
export function withSets(raw: object, sets: readonly string[]): object {
  return sets.reduce((r, s) => applySet(r, s), raw);
}

export function decodeWith(raw: object, sets: readonly string[]): Scenario {
  return decodeScenario(withSets(raw, sets));
}

export function runWith(raw: object, sets: readonly string[]): RunResult {
  return runScenario(decodeWith(raw, sets));
}

/** f(x*) of a scenario's problem (the same data as its run: same seed, same streams). */
export function optimalLoss(scenario: Scenario): number {
  const problem = buildProblem(
    scenario.problem!,
    scenario.cluster.workers,
    new RandomStreams(scenario.seed),
    "problem",
  );
  return problem.loss(problem.optimum!(new CpuKernels()));
}

/** Mean of a series over the samples at t ≥ from. */
export function meanFrom(t: readonly number[], values: readonly number[], from: number): number {
  let sum = 0;
  let count = 0;
  t.forEach((ti, k) => {
    if (ti >= from) {
      sum += values[k]!;
      count++;
    }
  });
  return sum / count;
}
