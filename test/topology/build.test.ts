import { describe, expect, it } from "vitest";
import { completeGraph, hypercubeGraph, ringGraph } from "../../sim/cluster/topology/classic-graphs.ts";
import { exponentialGraph } from "../../sim/cluster/topology/exponential-graph.ts";
import type { Graph } from "../../sim/cluster/topology/graph.ts";
import { hierarchicalGraph } from "../../sim/cluster/topology/hierarchical.ts";
import { randomRegularGraph } from "../../sim/cluster/topology/random-regular.ts";
import { isTimeVarying, type TimeVaryingGraph } from "../../sim/cluster/topology/time-varying.ts";
import { torusGraph } from "../../sim/cluster/topology/torus.ts";
import { RandomStreams } from "../../sim/engine/random.ts";
import { InputError } from "../../sim/errors.ts";
import {
  buildStaticTopology,
  buildTopology,
  topologyKindNames,
} from "../../sim/scenario/registry/topology-kinds.ts";
import type { TopologySpec } from "../../sim/scenario/types.ts";
import { edgeStrings, graphViolations } from "./graph-checks.ts";

const rng = (seed = 1) => new RandomStreams(seed).stream("topology");
const path = "cluster.topology";

function staticGraph(built: Graph | TimeVaryingGraph): Graph {
  if (isTimeVarying(built)) throw new Error("expected a fixed graph");
  return built;
}

/** The InputError thrown by `f`, for checking its path as well as its message. */
function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("no error thrown");
}

describe("buildTopology", () => {
  it("builds the same graph as the family's generator", () => {
    const n = 16;
    const cases: [TopologySpec, Graph][] = [
      [{ kind: "ring" }, ringGraph(n)],
      [{ kind: "complete" }, completeGraph(n)],
      [{ kind: "hypercube" }, hypercubeGraph(n)],
      [{ kind: "exponential" }, exponentialGraph(n)],
      [{ kind: "torus" }, torusGraph(n)],
      [{ kind: "torus", rows: 2, cols: 8 }, torusGraph(n, { rows: 2, cols: 8 })],
      [{ kind: "hierarchical", gpusPerNode: 4 }, hierarchicalGraph(n, 4, "ring")],
      [{ kind: "hierarchical", gpusPerNode: 4, interNode: "complete" }, hierarchicalGraph(n, 4, "complete")],
      [{ kind: "random-regular", degree: 3 }, randomRegularGraph(n, 3, rng(5))],
    ];
    for (const [spec, expected] of cases) {
      const built = staticGraph(buildTopology(spec, n, rng(5), path));
      expect(edgeStrings(built), spec.kind).toEqual(edgeStrings(expected));
    }
  });

  it("builds every kind into a valid graph", () => {
    const specs: TopologySpec[] = [
      { kind: "ring" },
      { kind: "star" },
      { kind: "path" },
      { kind: "erdos-renyi", p: 0.3 },
      { kind: "random-geometric", radius: 0.4 },
      {
        kind: "custom",
        edges: [
          [0, 1],
          [1, 2],
        ],
      },
    ];
    for (const spec of specs)
      expect(graphViolations(staticGraph(buildTopology(spec, 8, rng(), path)))).toEqual([]);
    const covered = new Set([...specs.map((s) => s.kind), "complete", "hypercube", "exponential", "torus"]);
    for (const kind of ["hierarchical", "random-regular", "time-varying"]) covered.add(kind);
    expect(topologyKindNames().sort()).toEqual([...covered].sort());
  });

  it("builds a time-varying sequence, each graph from the shared stream in turn", () => {
    const spec: TopologySpec = {
      kind: "time-varying",
      graphs: [
        { kind: "random-geometric", radius: 0.5 },
        { kind: "random-geometric", radius: 0.5 },
        { kind: "ring" },
      ],
      period: 2,
    };
    const built = buildTopology(spec, 12, rng(9), path);
    if (!isTimeVarying(built)) throw new Error("expected a time-varying graph");
    expect(built.period).toBe(2);
    expect(built.graphs).toHaveLength(3);
    expect(edgeStrings(built.graphs[0]!)).not.toEqual(edgeStrings(built.graphs[1]!));
    expect(edgeStrings(built.graphs[2]!)).toEqual(edgeStrings(ringGraph(12)));
    const again = buildTopology(spec, 12, rng(9), path) as TimeVaryingGraph;
    expect(again.graphs.map(edgeStrings)).toEqual(built.graphs.map(edgeStrings));
  });

  it("is deterministic per stream for random kinds, and differs across seeds", () => {
    for (const spec of [
      { kind: "random-regular", degree: 4 },
      { kind: "erdos-renyi", p: 0.3 },
      { kind: "random-geometric", radius: 0.3 },
    ] as const) {
      const a = edgeStrings(staticGraph(buildTopology(spec, 24, rng(100), path)));
      expect(edgeStrings(staticGraph(buildTopology(spec, 24, rng(100), path)))).toEqual(a);
      expect(edgeStrings(staticGraph(buildTopology(spec, 24, rng(101), path)))).not.toEqual(a);
    }
  });
});

describe("buildTopology errors name the field, the value and the expectation", () => {
  const cases: [string, () => unknown, string, string][] = [
    [
      "unknown kind",
      () => buildTopology({ kind: "mesh" } as unknown as TopologySpec, 8, rng(), path),
      "cluster.topology.kind",
      'cluster.topology.kind: got "mesh", expected one of "ring", "torus", "complete", "star", "path", "exponential", "hypercube", "random-regular", "erdos-renyi", "random-geometric", "hierarchical", "custom", "time-varying"',
    ],
    [
      "not an object",
      () => buildTopology("ring" as unknown as TopologySpec, 8, rng(), path),
      "cluster.topology",
      'cluster.topology: got "ring", expected a topology object with a kind field',
    ],
    [
      "hypercube of 12",
      () => buildTopology({ kind: "hypercube" }, 12, rng(), path),
      "cluster.topology",
      "cluster.topology: got 12, expected a power-of-two number of workers for a hypercube (nearest: 8 or 16)",
    ],
    [
      "torus rows × cols ≠ n",
      () => buildTopology({ kind: "torus", rows: 4, cols: 4 }, 12, rng(), path),
      "cluster.topology.cols",
      "cluster.topology.cols: got 4, expected 3 so that rows × cols = 12 workers",
    ],
    [
      "random-regular with n·d odd",
      () => buildTopology({ kind: "random-regular", degree: 3 }, 9, rng(), path),
      "cluster.topology.degree",
      "cluster.topology.degree: got 3, expected an even degree: 9 workers × degree must be even (each edge has two ends)",
    ],
    [
      "missing degree",
      () => buildTopology({ kind: "random-regular" } as unknown as TopologySpec, 8, rng(), path),
      "cluster.topology.degree",
      "cluster.topology.degree: got nothing, expected an integer in 1..7",
    ],
    [
      "custom edge out of range",
      () =>
        buildTopology(
          {
            kind: "custom",
            edges: [
              [0, 1],
              [1, 8],
            ],
          },
          8,
          rng(),
          path,
        ),
      "cluster.topology.edges[1][1]",
      "cluster.topology.edges[1][1]: got 8, expected a worker id in 0..7",
    ],
    [
      "custom self-loop",
      () => buildTopology({ kind: "custom", edges: [[2, 2]] }, 8, rng(), path),
      "cluster.topology.edges[0]",
      "cluster.topology.edges[0]: got [2,2], expected two different workers (self-loops are not links)",
    ],
    [
      "a misspelt field",
      () => buildTopology({ kind: "hierarchical", gpuPerNode: 4 } as unknown as TopologySpec, 8, rng(), path),
      "cluster.topology.gpuPerNode",
      "cluster.topology.gpuPerNode: got 4, expected no such field for a hierarchical topology (fields: kind, gpusPerNode, interNode)",
    ],
    [
      "a bad graph inside a sequence",
      () =>
        buildTopology(
          { kind: "time-varying", graphs: [{ kind: "ring" }, { kind: "erdos-renyi", p: 2 }], period: 1 },
          8,
          rng(),
          path,
        ),
      "cluster.topology.graphs[1].p",
      "cluster.topology.graphs[1].p: got 2, expected a probability in [0, 1]",
    ],
    [
      "nested sequences",
      () =>
        buildTopology(
          {
            kind: "time-varying",
            graphs: [{ kind: "time-varying", graphs: [], period: 1 } as unknown as { kind: "ring" }],
            period: 1,
          },
          8,
          rng(),
          path,
        ),
      "cluster.topology.graphs[0].kind",
      'cluster.topology.graphs[0].kind: got "time-varying", expected a fixed topology (time-varying ones do not nest)',
    ],
    [
      "empty sequence",
      () => buildTopology({ kind: "time-varying", graphs: [], period: 1 }, 8, rng(), path),
      "cluster.topology.graphs",
      "cluster.topology.graphs: got [], expected a non-empty list of topologies",
    ],
    [
      "bad period",
      () => buildTopology({ kind: "time-varying", graphs: [{ kind: "ring" }], period: -1 }, 8, rng(), path),
      "cluster.topology.period",
      "cluster.topology.period: got -1, expected a positive number of seconds",
    ],
    [
      "no workers",
      () => buildTopology({ kind: "ring" }, 0, rng(), path),
      "cluster.topology",
      "cluster.topology: got 0, expected a positive integer number of workers",
    ],
    [
      "a sequence where one graph is wanted",
      () => buildStaticTopology({ kind: "time-varying", graphs: [], period: 1 } as never, 8, rng(), path),
      "cluster.topology.kind",
      'cluster.topology.kind: got "time-varying", expected a fixed topology',
    ],
  ];
  for (const [name, attempt, errorPath, message] of cases) {
    it(name, () => {
      const error = inputError(attempt);
      expect(error.path).toBe(errorPath);
      expect(error.message).toBe(message);
    });
  }
});
