import type { ModelPreset } from "../model-preset.ts";

// The 7.5B-parameter example of the ZeRO paper's Fig. 1 (Rajbhandari et al. 2020, recalled: Ψ = 7.5B, N_d = 64,
// K = 12), which ACCO's Table 1 reuses for its memory column [reference §4.3]. A size only: the example
// has no architecture, so the sequence length and micro-batch (FLOPs, time) are [uncertain] choices.
export const zero75b: ModelPreset = {
  kind: "zero-7.5b",
  family: "transformer",
  name: "7.5B (ZeRO Fig. 1 / ACCO Table 1)",
  parameters: 7.5e9,
  sequenceLength: 1024, // [uncertain]
  bytesPerValue: 2, // bf16 (mixed precision, K = 12)
  microBatch: 1, // [uncertain]
};
