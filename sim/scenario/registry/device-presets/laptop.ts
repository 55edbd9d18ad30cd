import type { DevicePreset } from "../preset-entry.ts";

// Our choice of "a laptop": an Apple MacBook Air with the M2 chip and its 10-core GPU, a common
// WebGPU machine. Apple's M2 announcement (June 2022): GPU up to 3.6 TFLOPS (fp32), 100 GB/s of
// unified memory bandwidth, up to 24 GB of unified memory (we take the 16 GB configuration, shared
// with the system). Efficiency 0.3 is our estimate for hand-written WebGPU kernels, not a measurement.
export const laptop: DevicePreset = {
  kind: "laptop",
  summary: "laptop: Apple M2, 10-core GPU (fp32), 16 GB unified memory",
  peakFlops: "3.6 TFLOP/s",
  efficiency: 0.3,
  memoryBandwidth: "100 GB/s",
  memory: "16 GB",
};
