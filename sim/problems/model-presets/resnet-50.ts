import type { ModelPreset } from "../model-preset.ts";

// ResNet-50 on ImageNet: 25,557,032 parameters (torchvision); 4.1e9 multiply-adds forward, the
// figure usually quoted for torchvision's v1.5 (stride on the 3×3); He et al. print 3.8e9 for v1.
// fp32 and micro-batch 32 [uncertain], as for ResNet-18.
export const resnet50: ModelPreset = {
  kind: "resnet-50",
  family: "cnn",
  name: "ResNet-50 (ImageNet)",
  parameters: 25_557_032,
  forwardMultiplyAdds: 4.1e9,
  bytesPerValue: 4,
  microBatch: 32, // [uncertain]
};
