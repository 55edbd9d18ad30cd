import type { ModelPreset } from "../model-preset.ts";

// EleutherAI/gpt-neo-2.7B config: vocab 50257, d_model 2560, 32 layers, 2048 positions:
// 2,651,307,520 parameters (counted from the config). Alpaca fine-tuning, micro-batch 4 [reference
// §4.5]; sequences are padded to the longest in the batch, with max_length 512 in the repository's
// config/train/acco-ft.yaml: 512 is an upper bound on the real per-sample cost.
export const gptNeo27b: ModelPreset = {
  kind: "gpt-neo-2.7b",
  family: "transformer",
  name: "GPT-Neo 2.7B",
  parameters: 2_651_307_520,
  sequenceLength: 512,
  bytesPerValue: 2,
  microBatch: 4,
};
