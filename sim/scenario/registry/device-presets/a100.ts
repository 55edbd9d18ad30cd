import type { DevicePreset } from "../preset-entry.ts";

// NVIDIA A100 Tensor Core GPU datasheet, A100 80GB SXM column: BF16 Tensor Core 312 TFLOPS (624
// with structured sparsity: we use the dense figure), GPU memory 80 GB HBM2e, memory bandwidth
// 2,039 GB/s (the "2.0 TB/s" of the summary tables). Efficiency 0.5: Narayanan et al. 2021
// (Megatron-LM, SC'21) sustain 52 % of peak per A100 training GPT models at scale.
export const a100: DevicePreset = {
  kind: "a100",
  summary: "NVIDIA A100 80GB SXM (bf16 dense)",
  peakFlops: "312 TFLOP/s",
  efficiency: 0.5,
  memoryBandwidth: "2039 GB/s",
  memory: "80 GB",
};
