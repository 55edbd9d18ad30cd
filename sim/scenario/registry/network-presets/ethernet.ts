import type { NetworkPreset } from "../preset-entry.ts";

// 10 / 25 Gigabit Ethernet with TCP through the kernel: typical one-way latency 10–30 µs, most of it
// in the software stack rather than on the wire (RoCE is closer to InfiniBand: override `latency`).
// One file for both rates.
export const ethernet10: NetworkPreset = {
  kind: "ethernet-10",
  summary: "10 Gigabit Ethernet, TCP, typical",
  bandwidth: "10 Gb/s",
  latency: "20 us",
};
export const ethernet25: NetworkPreset = {
  kind: "ethernet-25",
  summary: "25 Gigabit Ethernet, TCP, typical",
  bandwidth: "25 Gb/s",
  latency: "20 us",
};
