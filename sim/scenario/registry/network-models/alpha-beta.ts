import { AlphaBetaNetwork } from "../../../cluster/network/alpha-beta-network.ts";
import type { NetworkModelEntry } from "../network-model-entry.ts";

export const alphaBeta: NetworkModelEntry = {
  kind: "alpha-beta",
  summary: "each message costs latency + bytes / bandwidth",
  build: (sim, platform) => new AlphaBetaNetwork(sim, platform),
};
