import { SwitchPlatform } from "../../../cluster/network/switch-platform.ts";
import type { LayoutEntry } from "../layout-entry.ts";

export const switchLayout: LayoutEntry = {
  kind: "switch",
  summary: "every NIC into one non-blocking switch",
  fields: {},
  resolve: () => ({}),
  // A message crosses two NIC links (uplink, downlink); `latency` is the one-way latency between two
  // devices, so each NIC link carries half of it.
  build: (spec, workers, _, path) =>
    new SwitchPlatform(workers, { bandwidth: spec.bandwidth, latency: spec.latency / 2 }, spec.duplex, path),
};
