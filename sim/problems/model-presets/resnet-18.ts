import type { ModelPreset } from "../model-preset.ts";

// ResNet-18 on ImageNet 224×224: 11,689,512 parameters (torchvision), 1.8e9 multiply-adds forward
// (He et al. 2016, Table 1). fp32 (the A²CiD² recipe trains with SGD, no mixed precision stated:
// [uncertain]); micro-batch 32 per GPU as in Goyal et al. 2017 [uncertain for the group's runs].
export const resnet18: ModelPreset = {
  kind: "resnet-18",
  family: "cnn",
  name: "ResNet-18 (ImageNet)",
  parameters: 11_689_512,
  forwardMultiplyAdds: 1.8e9,
  bytesPerValue: 4,
  microBatch: 32, // [uncertain]
};
