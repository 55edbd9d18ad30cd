import type { Network } from "../../cluster/network/network.ts";
import type { Platform } from "../../cluster/network/platform.ts";
import type { Simulation } from "../../engine/index.ts";

/**
 * A network model of `cluster.network.model`: how transfers over a platform's links take time. One
 * file in network-models/, one line in network-models.ts. The models themselves live in
 * sim/cluster/network/; an entry names one and says what it models, in a line.
 */
export interface NetworkModelEntry {
  readonly kind: string;
  /** One line, shown in the reference after the name: "alpha-beta: <summary>". */
  readonly summary: string;
  readonly build: (sim: Simulation, platform: Platform) => Network;
}
