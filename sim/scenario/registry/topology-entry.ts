import type { Schema } from "effect";
import type { Graph } from "../../cluster/topology/graph.ts";
import type { RandomStream } from "../../engine/random.ts";
import type { RegistryEntry } from "../../registry.ts";
import type { Path, Problems } from "../resolve/problems.ts";

/**
 * A graph family of `cluster.topology` (and of the physical `cluster.network.topology`): one file in
 * topologies/, one line in topologies.ts. Beside the generic entry (kind, summary, fields), it says how
 * its parameters are tied to the worker count and how its graph is built. The builders themselves stay
 * in sim/cluster/topology/, which knows nothing of scenarios; an entry is the scenario's view of one.
 */
export interface TopologyContext {
  readonly workers: number;
  /** Where the topology sits in the scenario: ["cluster", "topology"], or inside a sequence. */
  readonly path: Path;
  readonly problems: Problems;
}

export interface TopologyEntry<Spec = never> extends RegistryEntry {
  /**
   * The rules that tie the decoded parameters to the worker count and need no graph built (reported to
   * `context.problems`), and the parameters that depend on it filled in. Absent: the input as it is.
   */
  readonly resolve?: (input: Spec, context: TopologyContext) => Spec;
  /**
   * The graph on `n` workers (n ≥ 1, checked before). Random families draw from `rng` only. `spec`
   * may be written by hand (a test, a library user): defaults may be missing, and every problem is an
   * InputError under `path`.
   */
  readonly build: (spec: Spec, n: number, rng: RandomStream, path: string) => Graph;
}

/** What the registry holds: an entry whose spec type is its own business. */
// biome-ignore lint/suspicious/noExplicitAny: the list is heterogeneous; each entry is checked by defineTopology.
export type AnyTopologyEntry = TopologyEntry<any>;

/** Types `resolve` and `build` by the entry's own fields, then hands back the registry's view. */
export function defineTopology<const F extends Schema.Struct.Fields>(
  entry: TopologyEntry<Schema.Struct.Type<F> & { readonly kind: string }> & { readonly fields: F },
): AnyTopologyEntry {
  return entry;
}
