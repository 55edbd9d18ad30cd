import { Registry } from "../registry.ts";
import type { ModelPreset } from "./model-preset.ts";
import { gptNeo27b } from "./model-presets/gpt-neo-2.7b.ts";
import { gptNeo36m } from "./model-presets/gpt-neo-36m.ts";
import { gptNeo125m } from "./model-presets/gpt-neo-125m.ts";
import { llama27b } from "./model-presets/llama-2-7b.ts";
import { resnet18 } from "./model-presets/resnet-18.ts";
import { resnet18Cifar } from "./model-presets/resnet-18-cifar.ts";
import { resnet50 } from "./model-presets/resnet-50.ts";
import { zero75b } from "./model-presets/zero-7.5b.ts";

/**
 * The models `problem: { kind: preset, model: … }` may name, in listing order: one file each in
 * model-presets/ (with the sources of its numbers; see model-preset.ts for how FLOPs are counted), one
 * line here, or `modelPresetRegistry.add(preset)` at run time.
 */
export const modelPresetRegistry = new Registry<ModelPreset>("model preset", [
  gptNeo36m,
  gptNeo125m,
  gptNeo27b,
  llama27b,
  zero75b,
  resnet18,
  resnet18Cifar,
  resnet50,
]);
