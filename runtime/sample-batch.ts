import type { RandomStream } from "../sim/engine/index.ts";
import { InputError } from "../sim/errors.ts";
import type { Problem } from "../sim/problems/problem.ts";

export type SampleBatch = (worker: number, rng: RandomStream, samples?: number) => Int32Array | undefined;

/**
 * The problem's mini-batch sampler. The runtime computes gradients elsewhere (a device, another
 * process), so it needs the first half of `Problem.gradient` on its own; shape-only problems and
 * problems without it cannot run there.
 */
export function batchSampler(problem: Problem): SampleBatch {
  const sample = problem.sampleBatch?.bind(problem);
  if (!problem.numeric || sample === undefined) {
    throw new InputError(
      "problem.kind",
      problem.name,
      "a problem with real data on the runtime (least-squares, logistic, quadratic or mlp), not a shape-only preset",
    );
  }
  return sample;
}
