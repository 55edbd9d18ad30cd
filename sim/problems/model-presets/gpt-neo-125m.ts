import type { ModelPreset } from "../model-preset.ts";

// EleutherAI/gpt-neo-125M config: vocab 50257, d_model 768, 12 layers, 2048 positions, q/k/v without
// bias: 125,198,592 parameters (counted from the config, tied embeddings; matches the usual figure).
// Sequence length 1024 and local micro-batch 24: ACCO §4.4 [reference §4.4]; the repository's
// config/train/acco.yaml has max_length 1024 and batch_size 8.
export const gptNeo125m: ModelPreset = {
  kind: "gpt-neo-125m",
  family: "transformer",
  name: "GPT-Neo 125M",
  parameters: 125_198_592,
  sequenceLength: 1024,
  bytesPerValue: 2,
  microBatch: 24,
};
