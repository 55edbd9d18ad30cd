import type { ModelPreset } from "../model-preset.ts";

// ACCO §4.3, TinyStories, 10k-token BPE vocabulary [reference §4.4]. 36M is the paper's nominal size;
// the exact count, the sequence length and the micro-batch are [uncertain]: the config was not read.
export const gptNeo36m: ModelPreset = {
  kind: "gpt-neo-36m",
  family: "transformer",
  name: "GPT-Neo 36M",
  parameters: 36e6, // [uncertain] nominal
  sequenceLength: 512, // [uncertain]
  bytesPerValue: 2, // bf16 parameters, gradients and buffers [reference §4.4]
  microBatch: 16, // [uncertain]
};
