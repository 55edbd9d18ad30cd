import { Registry } from "../../registry.ts";
import type { NetworkModelEntry } from "./network-model-entry.ts";
import { alphaBeta } from "./network-models/alpha-beta.ts";
import { flow } from "./network-models/flow.ts";

/**
 * The network models a scenario may name in `cluster.network.model`; the first is the default. A new
 * one is one file in network-models/ and one line here, or `networkModelRegistry.add(entry)` at run time.
 */
export const networkModelRegistry = new Registry<NetworkModelEntry>("network model", [alphaBeta, flow]);
