import type { RandomStream } from "../../engine/random.ts";
import { InputError } from "../../errors.ts";
import { completeGraph, hypercubeGraph, pathGraph, ringGraph, starGraph } from "./classic-graphs.ts";
import { customGraph } from "./custom-edges.ts";
import { erdosRenyiGraph } from "./erdos-renyi.ts";
import { exponentialGraph } from "./exponential-graph.ts";
import type { Graph } from "./graph.ts";
import { hierarchicalGraph, type InterNodeLayout } from "./hierarchical.ts";
import { checkKnownFields, checkWorkerCount } from "./input-checks.ts";
import { randomGeometricGraph } from "./random-geometric.ts";
import { randomRegularGraph } from "./random-regular.ts";
import { type TimeVaryingGraph, timeVaryingGraph } from "./time-varying.ts";
import { torusGraph } from "./torus.ts";

/**
 * What a scenario may ask for. Optional fields have the defaults of the generators: torus dimensions
 * the most square factorisation, `interNode` "ring". The decoded scenario's own spec type (with every
 * default filled in) is assignable to this one.
 */
export type StaticTopologySpec =
  | { readonly kind: "ring" | "complete" | "star" | "path" | "exponential" | "hypercube" }
  | { readonly kind: "torus"; readonly rows?: number; readonly cols?: number }
  | { readonly kind: "random-regular"; readonly degree: number }
  | { readonly kind: "erdos-renyi"; readonly p: number }
  | { readonly kind: "random-geometric"; readonly radius: number }
  | { readonly kind: "hierarchical"; readonly gpusPerNode: number; readonly interNode?: InterNodeLayout }
  | { readonly kind: "custom"; readonly edges: ReadonlyArray<readonly [number, number]> };

export type TopologySpec =
  | StaticTopologySpec
  | {
      readonly kind: "time-varying";
      readonly graphs: ReadonlyArray<StaticTopologySpec>;
      readonly period: number;
    };

export type TopologyKind = TopologySpec["kind"];

/** The fields each kind accepts, besides `kind` (used to reject typos). */
const FIELDS: Readonly<Record<TopologyKind, readonly string[]>> = {
  ring: [],
  complete: [],
  star: [],
  path: [],
  exponential: [],
  hypercube: [],
  torus: ["rows", "cols"],
  "random-regular": ["degree"],
  "erdos-renyi": ["p"],
  "random-geometric": ["radius"],
  hierarchical: ["gpusPerNode", "interNode"],
  custom: ["edges"],
  "time-varying": ["graphs", "period"],
};

export const TOPOLOGY_KINDS = Object.keys(FIELDS) as readonly TopologyKind[];

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
  const kind = checkSpec(spec, path);
  if (kind !== "time-varying") return buildStatic(spec as StaticTopologySpec, n, rng, path);
  const { graphs, period } = spec as { graphs: unknown; period: number };
  if (!Array.isArray(graphs) || graphs.length === 0) {
    throw new InputError(`${path}.graphs`, graphs, "a non-empty list of topologies");
  }
  const built = graphs.map((inner: unknown, i) => {
    const at = `${path}.graphs[${i}]`;
    if (checkSpec(inner, at) === "time-varying") {
      throw new InputError(`${at}.kind`, "time-varying", "a fixed topology (time-varying ones do not nest)");
    }
    return buildStatic(inner as StaticTopologySpec, n, rng, at);
  });
  return timeVaryingGraph(built, period, path);
}

/** Builds a fixed topology; a time-varying spec is refused (the caller wanted one graph). */
export function buildStaticTopology(
  spec: StaticTopologySpec,
  n: number,
  rng: RandomStream,
  path: string,
): Graph {
  const kind = checkSpec(spec, path);
  if (kind === "time-varying") throw new InputError(`${path}.kind`, kind, "a fixed topology");
  return buildStatic(spec, n, rng, path);
}

function checkSpec(spec: unknown, path: string): TopologyKind {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new InputError(path, spec, "a topology object with a kind field");
  }
  const kind: unknown = (spec as { kind?: unknown }).kind;
  if (typeof kind !== "string" || !Object.hasOwn(FIELDS, kind)) {
    throw new InputError(`${path}.kind`, kind, `one of ${TOPOLOGY_KINDS.map((k) => `"${k}"`).join(", ")}`);
  }
  const topologyKind = kind as TopologyKind;
  checkKnownFields(spec, ["kind", ...FIELDS[topologyKind]], path, topologyKind);
  return topologyKind;
}

function buildStatic(spec: StaticTopologySpec, n: number, rng: RandomStream, path: string): Graph {
  checkWorkerCount(n, path);
  switch (spec.kind) {
    case "ring":
      return ringGraph(n, path);
    case "complete":
      return completeGraph(n, path);
    case "star":
      return starGraph(n, path);
    case "path":
      return pathGraph(n, path);
    case "exponential":
      return exponentialGraph(n, path);
    case "hypercube":
      return hypercubeGraph(n, path);
    case "torus":
      return torusGraph(n, withoutUndefined({ rows: spec.rows, cols: spec.cols }), path);
    case "random-regular":
      return randomRegularGraph(n, spec.degree, rng, path);
    case "erdos-renyi":
      return erdosRenyiGraph(n, spec.p, rng, path);
    case "random-geometric":
      return randomGeometricGraph(n, spec.radius, rng, path);
    case "hierarchical":
      return hierarchicalGraph(n, spec.gpusPerNode, spec.interNode ?? "ring", path);
    case "custom":
      return customGraph(n, spec.edges, path);
  }
}

/** Drops undefined fields, which `exactOptionalPropertyTypes` keeps apart from absent ones. */
function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
