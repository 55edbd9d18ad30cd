import type { ModelPreset } from "../model-preset.ts";

// ResNet-18 for CIFAR-10 (3×3 stem, no max-pool, 10 classes; the common "pytorch-cifar" variant, which
// A²CiD²'s CIFAR runs are assumed to use [uncertain]): 11,173,962 parameters and ≈0.56e9
// multiply-adds forward [uncertain: our count from the ImageNet figures, matching the usual quote].
// Per-worker batch 128 [reference §3.5].
export const resnet18Cifar: ModelPreset = {
  kind: "resnet-18-cifar",
  family: "cnn",
  name: "ResNet-18 (CIFAR-10)",
  parameters: 11_173_962,
  forwardMultiplyAdds: 0.56e9,
  bytesPerValue: 4,
  microBatch: 128,
};
