import { Registry } from "../../registry.ts";
import { ethernet10, ethernet25 } from "./network-presets/ethernet.ts";
import { ib100, ib200, ib400 } from "./network-presets/infiniband.ts";
import { nvlink } from "./network-presets/nvlink.ts";
import type { NetworkPreset } from "./preset-entry.ts";

/**
 * The interconnects `cluster.network.preset` may name, in listing order: typical figures, not
 * measurements of a given cluster. Bandwidths are line rates per direction (the data rate after line
 * coding, before protocol overheads); latencies typical one-way small-message latencies device to
 * device through one switch. A new one is one file in network-presets/ (or a line in the file of its
 * family) and one line here, or `networkPresetRegistry.add(preset)` at run time.
 */
export const networkPresetRegistry = new Registry<NetworkPreset>("network preset", [
  nvlink,
  ib100,
  ib200,
  ib400,
  ethernet10,
  ethernet25,
]);
