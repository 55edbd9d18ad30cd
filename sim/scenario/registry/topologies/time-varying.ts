import { Schema } from "effect";
import type { Graph } from "../../../cluster/topology/graph.ts";
import { type TimeVaryingGraph, timeVaryingGraph } from "../../../cluster/topology/time-varying.ts";
import { InputError } from "../../../errors.ts";
import { quantity } from "../../fields.ts";
import type { StaticTopologySpec } from "../../types.ts";
import type { TopologyContext } from "../topology-entry.ts";

/**
 * `time-varying`: not a graph family but a sequence of them, so it is not in the registry's list; its
 * schema, rules and builder take the fixed families' as arguments (topology-kinds.ts passes them), and
 * a family added to the registry is at once allowed inside a sequence.
 */
export const TIME_VARYING = "time-varying";

export const timeVaryingSummary = "Cycles through `graphs`, switching every `period`.";

export function timeVaryingInput(staticInput: Schema.Top) {
  return Schema.Struct({
    kind: Schema.Literal(TIME_VARYING).annotate({ description: timeVaryingSummary }),
    graphs: Schema.Array(staticInput)
      .check(Schema.isMinLength(1))
      .annotate({ description: "Graphs in the order they are used (not time-varying themselves)." }),
    period: quantity("time", { description: "How long each graph stays in force." }),
  });
}

export const timeVaryingFields = ["kind", "graphs", "period"] as const;

export type TimeVaryingSpec = {
  readonly kind: typeof TIME_VARYING;
  readonly graphs: ReadonlyArray<StaticTopologySpec>;
  readonly period: number;
};

export function resolveTimeVarying(
  input: TimeVaryingSpec,
  context: TopologyContext,
  resolveStatic: (graph: StaticTopologySpec, context: TopologyContext) => StaticTopologySpec,
): TimeVaryingSpec {
  return {
    kind: TIME_VARYING,
    graphs: input.graphs.map((graph, i) =>
      resolveStatic(graph, { ...context, path: [...context.path, "graphs", i] }),
    ),
    period: input.period,
  };
}

/** Each graph built in turn (random ones draw from the same stream, in order), then the sequence. */
export function buildTimeVarying(
  spec: { readonly [field: string]: unknown },
  path: string,
  buildStatic: (graph: unknown, path: string) => Graph,
): TimeVaryingGraph {
  const { graphs, period } = spec as { readonly graphs?: unknown; readonly period?: unknown };
  if (!Array.isArray(graphs) || graphs.length === 0) {
    throw new InputError(`${path}.graphs`, graphs, "a non-empty list of topologies");
  }
  const built = graphs.map((inner: unknown, i) => buildStatic(inner, `${path}.graphs[${i}]`));
  return timeVaryingGraph(built, period as number, path);
}
