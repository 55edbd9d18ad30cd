import type { NetworkPreset } from "../preset-entry.ts";

// InfiniBand 4x EDR / HDR / NDR: 100 / 200 / 400 Gb/s data rate. Latency: typical end-to-end RDMA
// latency through one switch is about 1 µs (vendors quote 0.6–1 µs host to host; GPU-to-GPU adds the
// PCIe hops). One file for the three generations: they differ by their rate only.
export const ib100: NetworkPreset = {
  kind: "ib-100",
  summary: "InfiniBand EDR 4x, typical",
  bandwidth: "100 Gb/s",
  latency: "1 us",
};
export const ib200: NetworkPreset = {
  kind: "ib-200",
  summary: "InfiniBand HDR 4x, typical",
  bandwidth: "200 Gb/s",
  latency: "1 us",
};
export const ib400: NetworkPreset = {
  kind: "ib-400",
  summary: "InfiniBand NDR 4x, typical",
  bandwidth: "400 Gb/s",
  latency: "1 us",
};
