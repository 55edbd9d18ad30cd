import { FlowNetwork } from "../../../cluster/network/flow-network.ts";
import type { NetworkModelEntry } from "../network-model-entry.ts";

export const flow: NetworkModelEntry = {
  kind: "flow",
  summary: "max-min fair sharing of links",
  build: (sim, platform) => new FlowNetwork(sim, platform),
};
