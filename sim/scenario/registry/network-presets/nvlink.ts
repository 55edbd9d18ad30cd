import type { NetworkPreset } from "../preset-entry.ts";

// NVLink 4 through NVSwitch (H100 SXM): 18 links × 25 GB/s each way = 450 GB/s per direction (NVIDIA
// quotes 900 GB/s, both directions together). A100's NVLink 3 is 300 GB/s per direction: override
// `bandwidth` for it. Latency: typical, ~1 µs, as the hierarchical layout's intraLatency default.
export const nvlink: NetworkPreset = {
  kind: "nvlink",
  summary: "NVLink 4 via NVSwitch (H100 SXM), typical",
  bandwidth: "450 GB/s",
  latency: "1 us",
};
