import type { DevicePreset } from "../preset-entry.ts";

// NVIDIA H100 Tensor Core GPU datasheet, H100 SXM column: BF16 Tensor Core 1,979 TFLOPS with
// sparsity, i.e. 989 TFLOPS dense; GPU memory 80 GB HBM3; memory bandwidth 3.35 TB/s. Efficiency
// 0.4: Llama 3 (Dubey et al. 2024, Table 4) reports 38–43 % BF16 model-FLOPs utilisation on H100s.
export const h100: DevicePreset = {
  kind: "h100",
  summary: "NVIDIA H100 SXM (bf16 dense)",
  peakFlops: "989 TFLOP/s",
  efficiency: 0.4,
  memoryBandwidth: "3.35 TB/s",
  memory: "80 GB",
};
