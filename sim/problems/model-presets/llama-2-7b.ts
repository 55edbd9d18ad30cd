import type { ModelPreset } from "../model-preset.ts";

// Llama 2 7B (Touvron et al. 2023; meta-llama/Llama-2-7b-hf config: vocab 32000, d_model 4096,
// 32 layers, FFN 11008, untied embeddings): 6,738,415,616 parameters; context length 4096.
// ACCO uses it only for its Fig. 4 timing, "at a memory-max batch size": micro-batch 1 is [uncertain].
export const llama27b: ModelPreset = {
  kind: "llama-2-7b",
  family: "transformer",
  name: "Llama-2 7B",
  parameters: 6_738_415_616,
  sequenceLength: 4096,
  bytesPerValue: 2,
  microBatch: 1, // [uncertain]
};
