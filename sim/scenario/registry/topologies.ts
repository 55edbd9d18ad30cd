import { Registry } from "../../registry.ts";
import { complete } from "./topologies/complete.ts";
import { custom } from "./topologies/custom.ts";
import { erdosRenyi } from "./topologies/erdos-renyi.ts";
import { exponential } from "./topologies/exponential.ts";
import { hierarchical } from "./topologies/hierarchical.ts";
import { hypercube } from "./topologies/hypercube.ts";
import { path } from "./topologies/path.ts";
import { randomGeometric } from "./topologies/random-geometric.ts";
import { randomRegular } from "./topologies/random-regular.ts";
import { ring } from "./topologies/ring.ts";
import { star } from "./topologies/star.ts";
import { torus } from "./topologies/torus.ts";
import type { AnyTopologyEntry } from "./topology-entry.ts";

/**
 * The graph families a scenario may name in `cluster.topology.kind` (and, bar time-varying, in
 * `cluster.network.topology.kind`), in the order the reference lists them. A new family is one file in
 * topologies/ (see topology-entry.ts) and one line here; `topologyRegistry.add(entry)` registers one at run
 * time. `time-varying` is not a family but a sequence of them: topology-kinds.ts adds it.
 */
export const topologyRegistry = new Registry<AnyTopologyEntry>("topology", [
  ring,
  torus,
  complete,
  star,
  path,
  exponential,
  hypercube,
  randomRegular,
  erdosRenyi,
  randomGeometric,
  hierarchical,
  custom,
]);
