import type { RandomStreams } from "../../engine/random.ts";
import { InputError } from "../../errors.ts";
import { checkProblemWorkers, type ProblemSpec } from "../../problems/index.ts";
import type { Problem } from "../../problems/problem.ts";
import { derived, unionOf } from "../../registry.ts";
import { problemRegistry } from "./problems.ts";

/** What the scenario knows of problems, derived from the registry (problems.ts). */

/** What `problem` accepts. */
export const problemInput = derived([problemRegistry], () =>
  unionOf(problemRegistry.entries(), "The objective trained by a training schedule, chosen by `kind`."),
);

/** Whether a problem of this kind carries no numbers (a scenario training it is shape-only). */
export function isShapeOnlyProblem(kind: string): boolean {
  return problemRegistry.find(kind)?.shapeOnly === true;
}

/**
 * The problem `spec` describes, over `workers` workers, its data drawn from `streams`. Throws an
 * InputError naming `${path}.field` for a bad value, `${path}.kind` for a kind not registered.
 */
export function buildProblem(
  spec: ProblemSpec,
  workers: number,
  streams: RandomStreams,
  path = "problem",
): Problem {
  checkProblemWorkers(workers);
  const entry = problemRegistry.find(spec.kind);
  if (entry === undefined) {
    throw new InputError(`${path}.kind`, spec.kind, `one of ${problemRegistry.kinds().join(", ")}`);
  }
  return entry.build(spec, workers, streams, path);
}
