import { Schema } from "effect";
import type { Graph } from "../../cluster/topology/graph.ts";
import { checkKnownFields, checkWorkerCount } from "../../cluster/topology/input-checks.ts";
import type { TimeVaryingGraph } from "../../cluster/topology/time-varying.ts";
import type { RandomStream } from "../../engine/random.ts";
import { InputError } from "../../errors.ts";
import { derived, fieldNamesOf, inputOf, type KindUnion, unionOf } from "../../registry.ts";
import type { StaticTopologySpec, TopologySpec } from "../types.ts";
import {
  buildTimeVarying,
  resolveTimeVarying,
  TIME_VARYING,
  type TimeVaryingSpec,
  timeVaryingFields,
  timeVaryingInput,
} from "./topologies/time-varying.ts";
import { topologyRegistry } from "./topologies.ts";
import type { TopologyContext } from "./topology-entry.ts";

/**
 * Everything the scenario knows of topologyRegistry, derived from the registry (topologyRegistry.ts) plus the
 * `time-varying` sequence: the schemas of `cluster.topology` and `cluster.network.topology`, the kind
 * names, the rules checked after decoding, and the builder. Nothing here names a family.
 */

/** Every fixed family: what `cluster.network.topology` and each graph of a sequence accept. */
export const staticTopologyInput = derived([topologyRegistry], () =>
  unionOf(topologyRegistry.entries(), "A fixed graph on the workers, chosen by `kind`."),
);

/** What `cluster.topology` accepts: a fixed family or a sequence of them. */
export const topologyInput = derived(
  [topologyRegistry],
  () =>
    // One flat union rather than a union of unions, so that a mismatch reports the member whose kind
    // matched instead of the first sub-union's.
    Schema.Union([
      ...topologyRegistry.entries().map((entry) => inputOf(entry)),
      timeVaryingInput(staticTopologyInput()),
    ]).annotate({ description: "A graph on the workers, chosen by `kind`." }) as unknown as KindUnion,
);

/** Every `cluster.topology.kind`, in the reference's order. */
export function topologyKindNames(): string[] {
  return [...topologyRegistry.kinds(), TIME_VARYING];
}

/**
 * The rules that tie a decoded topology to the worker count and need no graph built (torus dimensions
 * filled in when left out, hypercube sizes, regular degrees, custom edge endpoints): each family's own.
 * Problems that only show once the graph exists (a disconnected random graph) are the builders'.
 */
export function resolveTopology(input: TopologySpec, context: TopologyContext): TopologySpec {
  if (input.kind !== TIME_VARYING) return resolveStaticTopology(input, context);
  return resolveTimeVarying(input as unknown as TimeVaryingSpec, context, resolveStaticTopology);
}

export function resolveStaticTopology(
  input: StaticTopologySpec,
  context: TopologyContext,
): StaticTopologySpec {
  const entry = topologyRegistry.get(input.kind);
  return entry.resolve === undefined ? input : entry.resolve(input, context);
}

/**
 * Builds the topology `spec` describes on n workers. Random families draw from `rng` only (several
 * graphs of a time-varying spec draw from it in turn), so the result is a function of the stream.
 * `spec` is checked at run time as if untyped, since it may come straight from a parsed file; every
 * problem is an InputError under `path` ("cluster.topology.degree", "cluster.topology.graphs[2].p").
 */
export function buildTopology(
  spec: TopologySpec,
  n: number,
  rng: RandomStream,
  path: string,
): Graph | TimeVaryingGraph {
  if (checkSpec(spec, path) !== TIME_VARYING) return buildStatic(spec, n, rng, path);
  return buildTimeVarying(spec, path, (inner, at) => {
    if (checkSpec(inner, at) === TIME_VARYING) {
      throw new InputError(`${at}.kind`, TIME_VARYING, "a fixed topology (time-varying ones do not nest)");
    }
    return buildStatic(inner as StaticTopologySpec, n, rng, at);
  });
}

/** Builds a fixed topology; a time-varying spec is refused (the caller wanted one graph). */
export function buildStaticTopology(
  spec: StaticTopologySpec,
  n: number,
  rng: RandomStream,
  path: string,
): Graph {
  const kind = checkSpec(spec, path);
  if (kind === TIME_VARYING) throw new InputError(`${path}.kind`, kind, "a fixed topology");
  return buildStatic(spec, n, rng, path);
}

function checkSpec(spec: unknown, path: string): string {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new InputError(path, spec, "a topology object with a kind field");
  }
  const kind: unknown = (spec as { kind?: unknown }).kind;
  if (kind === TIME_VARYING) {
    checkKnownFields(spec, timeVaryingFields, path, TIME_VARYING);
    return TIME_VARYING;
  }
  const entry = topologyRegistry.find(kind);
  if (entry === undefined) {
    const kinds = topologyKindNames().map((k) => `"${k}"`);
    throw new InputError(`${path}.kind`, kind, `one of ${kinds.join(", ")}`);
  }
  checkKnownFields(spec, fieldNamesOf(entry), path, entry.kind);
  return entry.kind;
}

function buildStatic(spec: StaticTopologySpec, n: number, rng: RandomStream, path: string): Graph {
  checkWorkerCount(n, path);
  return topologyRegistry.get(spec.kind).build(spec, n, rng, path);
}
