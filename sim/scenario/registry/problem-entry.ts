import type { Schema } from "effect";
import type { RandomStreams } from "../../engine/random.ts";
import type { Problem } from "../../problems/problem.ts";
import type { RegistryEntry } from "../../registry.ts";

/**
 * An objective of `problem.kind`: one file in problems/, one line in problems.ts. Beside the generic
 * entry (kind, summary, fields) it says how the problem is built; the objectives themselves live in
 * sim/problems/, which knows nothing of scenarios.
 */
export interface ProblemEntry<Spec = never> extends RegistryEntry {
  /**
   * Shape-only: sizes and costs, no numbers. A scenario training it runs with `numerics: shape`,
   * whatever the file says.
   */
  readonly shapeOnly?: boolean;
  /**
   * The problem over `workers` workers (≥ 1, checked before), its data drawn from `streams`. `spec`
   * may be written by hand: fields may be missing (then defaults) and every problem is an InputError
   * naming `${path}.field`.
   */
  readonly build: (spec: Spec, workers: number, streams: RandomStreams, path: string) => Problem;
}

// biome-ignore lint/suspicious/noExplicitAny: the list is heterogeneous; each entry is checked by defineProblem.
export type AnyProblemEntry = ProblemEntry<any>;

/** Types `build` by the entry's own fields (each may be left out by a hand-written spec). */
export function defineProblem<const F extends Schema.Struct.Fields>(
  entry: ProblemEntry<Partial<Schema.Struct.Type<F>>> & { readonly fields: F },
): AnyProblemEntry {
  return entry;
}
