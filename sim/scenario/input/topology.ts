import { Schema } from "effect";
import { finite, integer, oneOf, optional, quantity, withDefault } from "../fields.ts";

/**
 * Graph descriptions as written in a file, one struct per `kind`. Parameters that depend on the worker
 * count (torus rows/cols, group sizes) are checked against it later, in resolve/topology.ts.
 */

function kind<const K extends string>(name: K, description: string) {
  return Schema.Literal(name).annotate({ description });
}

const Ring = Schema.Struct({ kind: kind("ring", "Each worker linked to its two neighbours i ± 1 (mod n).") });
const Complete = Schema.Struct({ kind: kind("complete", "Every pair of workers linked.") });
const Star = Schema.Struct({ kind: kind("star", "Worker 0 linked to every other worker.") });
const Path = Schema.Struct({
  kind: kind("path", "Worker i linked to i + 1; a ring without its closing link."),
});
const Exponential = Schema.Struct({
  kind: kind("exponential", "Worker i linked to i ± 2^k (mod n) for every k."),
});
const Hypercube = Schema.Struct({
  kind: kind("hypercube", "Workers whose ids differ in one bit are linked; workers must be a power of two."),
});

const Torus = Schema.Struct({
  kind: kind("torus", "A rows × cols grid with wrap-around links."),
  rows: optional(integer({ min: 1 }, { description: "Rows; rows · cols = workers." }), {
    words: "the most square factorisation",
  }),
  cols: optional(integer({ min: 1 }, { description: "Columns; rows · cols = workers." }), {
    words: "workers / rows",
  }),
});

const RandomRegular = Schema.Struct({
  kind: kind("random-regular", "A uniformly random graph in which every worker has `degree` neighbours."),
  degree: integer(
    { min: 1 },
    { description: "Neighbours per worker; < workers, and workers · degree even." },
  ),
});

const ErdosRenyi = Schema.Struct({
  kind: kind("erdos-renyi", "Each pair of workers linked independently with probability p."),
  p: finite({ above: 0, atMost: 1 }, { description: "Link probability." }),
});

const RandomGeometric = Schema.Struct({
  kind: kind(
    "random-geometric",
    "Workers placed uniformly in the unit square, linked when closer than radius.",
  ),
  radius: finite({ above: 0 }, { description: "Link distance, in units of the square's side." }),
});

const Hierarchical = Schema.Struct({
  kind: kind(
    "hierarchical",
    "Nodes of gpusPerNode consecutive workers, complete inside; nodes joined by interNode.",
  ),
  gpusPerNode: withDefault(integer({ min: 1 }, { description: "Workers per node." }), 8),
  interNode: withDefault(
    oneOf(["ring", "complete"], { description: "How nodes are joined (by their first workers)." }),
    "ring",
  ),
});

const Edge = Schema.Tuple([
  integer({ min: 0 }, { description: "One end (a worker id)." }),
  integer({ min: 0 }, { description: "The other end (a worker id)." }),
]).annotate({
  description: "An undirected link [u, v] between two workers.",
  expected: "a pair [u, v] of worker ids",
});

const Custom = Schema.Struct({
  kind: kind("custom", "Exactly the edges listed."),
  edges: Schema.Array(Edge).annotate({ description: "Undirected links, as [u, v] pairs of worker ids." }),
});

const staticMembers = [
  Ring,
  Torus,
  Complete,
  Star,
  Path,
  Exponential,
  Hypercube,
  RandomRegular,
  ErdosRenyi,
  RandomGeometric,
  Hierarchical,
  Custom,
] as const;

/** Every kind except time-varying, which switches between these. */
export const StaticTopologyInput = Schema.Union(staticMembers).annotate({
  description: "A fixed graph on the workers, chosen by `kind`.",
});

const TimeVarying = Schema.Struct({
  kind: kind("time-varying", "Cycles through `graphs`, switching every `period`."),
  graphs: Schema.Array(StaticTopologyInput)
    .check(Schema.isMinLength(1))
    .annotate({ description: "Graphs in the order they are used (not time-varying themselves)." }),
  period: quantity("time", { description: "How long each graph stays in force." }),
});

// One flat union rather than a union of unions, so that a mismatch reports the member whose kind
// matched instead of the first sub-union's.
export const TopologyInput = Schema.Union([...staticMembers, TimeVarying]).annotate({
  description: "A graph on the workers, chosen by `kind`.",
});

export type TopologyInput = typeof TopologyInput.Type;
export type StaticTopologyInput = typeof StaticTopologyInput.Type;
