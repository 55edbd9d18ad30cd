import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { Problem } from "./problem.ts";

/**
 * Shape-only model presets: sizes and costs of the models the group's papers train, without data
 * (`numeric` false). Sources are given per number; "[uncertain]" marks a number that is our estimate
 * or could not be checked against a primary source, "[reference §x]" one taken from
 * ../shared/reference/algorithms.md.
 *
 * FLOPs per sample (one forward + backward):
 * - transformers: 6 · parameters · sequence length (Kaplan et al. 2020's C ≈ 6N per token; a sample is
 *   one sequence). It counts embedding parameters and omits the attention-score FLOPs
 *   (≈ 12·layers·seq·d_model per token), so it is an approximation either way.
 * - ResNets: 3 × forward, with the forward taken from the literature in multiply-adds (He et al. 2016
 *   report "FLOPs" that are multiply-adds, e.g. "3.6 billion FLOPs (multiply-adds)" for ResNet-34) and
 *   converted to FLOPs at 2 per multiply-add, so that both families are in the same unit as a
 *   device's peak FLOP/s (which counts an FMA as 2): 3 × 2 × MACs.
 */
export const presetModels = [
  "gpt-neo-36m",
  "gpt-neo-125m",
  "gpt-neo-2.7b",
  "llama-2-7b",
  "zero-7.5b",
  "resnet-18",
  "resnet-18-cifar",
  "resnet-50",
] as const;
export type PresetModel = (typeof presetModels)[number];

interface TransformerPreset {
  readonly family: "transformer";
  readonly name: string;
  readonly parameters: number;
  readonly sequenceLength: number;
  readonly bytesPerValue: number;
  readonly microBatch: number;
}

interface CnnPreset {
  readonly family: "cnn";
  readonly name: string;
  readonly parameters: number;
  /** Multiply-adds of one forward pass over one image. */
  readonly forwardMultiplyAdds: number;
  readonly bytesPerValue: number;
  readonly microBatch: number;
}

export type ModelPreset = TransformerPreset | CnnPreset;

export const modelPresets: Readonly<Record<PresetModel, ModelPreset>> = {
  // ACCO §4.3, TinyStories, 10k-token BPE vocabulary [reference §4.4]. 36M is the paper's nominal size;
  // the exact count, the sequence length and the micro-batch are [uncertain]: the config was not read.
  "gpt-neo-36m": {
    family: "transformer",
    name: "GPT-Neo 36M",
    parameters: 36e6, // [uncertain] nominal
    sequenceLength: 512, // [uncertain]
    bytesPerValue: 2, // bf16 parameters, gradients and buffers [reference §4.4]
    microBatch: 16, // [uncertain]
  },
  // EleutherAI/gpt-neo-125M config: vocab 50257, d_model 768, 12 layers, 2048 positions, q/k/v without
  // bias: 125,198,592 parameters (counted from the config, tied embeddings; matches the usual figure).
  // Sequence length 1024 and local micro-batch 24: ACCO §4.4 [reference §4.4]; the repository's
  // config/train/acco.yaml has max_length 1024 and batch_size 8.
  "gpt-neo-125m": {
    family: "transformer",
    name: "GPT-Neo 125M",
    parameters: 125_198_592,
    sequenceLength: 1024,
    bytesPerValue: 2,
    microBatch: 24,
  },
  // EleutherAI/gpt-neo-2.7B config: vocab 50257, d_model 2560, 32 layers, 2048 positions:
  // 2,651,307,520 parameters (counted from the config). Alpaca fine-tuning, micro-batch 4 [reference
  // §4.5]; sequences are padded to the longest in the batch, with max_length 512 in the repository's
  // config/train/acco-ft.yaml: 512 is an upper bound on the real per-sample cost.
  "gpt-neo-2.7b": {
    family: "transformer",
    name: "GPT-Neo 2.7B",
    parameters: 2_651_307_520,
    sequenceLength: 512,
    bytesPerValue: 2,
    microBatch: 4,
  },
  // Llama 2 7B (Touvron et al. 2023; meta-llama/Llama-2-7b-hf config: vocab 32000, d_model 4096,
  // 32 layers, FFN 11008, untied embeddings): 6,738,415,616 parameters; context length 4096.
  // ACCO uses it only for its Fig. 4 timing, "at a memory-max batch size": micro-batch 1 is [uncertain].
  "llama-2-7b": {
    family: "transformer",
    name: "Llama-2 7B",
    parameters: 6_738_415_616,
    sequenceLength: 4096,
    bytesPerValue: 2,
    microBatch: 1, // [uncertain]
  },
  // The 7.5B-parameter example of the ZeRO paper's Fig. 1 (Rajbhandari et al. 2020, recalled: Ψ = 7.5B, N_d = 64,
  // K = 12), which ACCO's Table 1 reuses for its memory column [reference §4.3]. A size only: the example
  // has no architecture, so the sequence length and micro-batch (FLOPs, time) are [uncertain] choices.
  "zero-7.5b": {
    family: "transformer",
    name: "7.5B (ZeRO Fig. 1 / ACCO Table 1)",
    parameters: 7.5e9,
    sequenceLength: 1024, // [uncertain]
    bytesPerValue: 2, // bf16 (mixed precision, K = 12)
    microBatch: 1, // [uncertain]
  },
  // ResNet-18 on ImageNet 224×224: 11,689,512 parameters (torchvision), 1.8e9 multiply-adds forward
  // (He et al. 2016, Table 1). fp32 (the A²CiD² recipe trains with SGD, no mixed precision stated:
  // [uncertain]); micro-batch 32 per GPU as in Goyal et al. 2017 [uncertain for the group's runs].
  "resnet-18": {
    family: "cnn",
    name: "ResNet-18 (ImageNet)",
    parameters: 11_689_512,
    forwardMultiplyAdds: 1.8e9,
    bytesPerValue: 4,
    microBatch: 32, // [uncertain]
  },
  // ResNet-18 for CIFAR-10 (3×3 stem, no max-pool, 10 classes; the common "pytorch-cifar" variant, which
  // A²CiD²'s CIFAR runs are assumed to use [uncertain]): 11,173,962 parameters and ≈0.56e9
  // multiply-adds forward [uncertain: our count from the ImageNet figures, matching the usual quote].
  // Per-worker batch 128 [reference §3.5].
  "resnet-18-cifar": {
    family: "cnn",
    name: "ResNet-18 (CIFAR-10)",
    parameters: 11_173_962,
    forwardMultiplyAdds: 0.56e9,
    bytesPerValue: 4,
    microBatch: 128,
  },
  // ResNet-50 on ImageNet: 25,557,032 parameters (torchvision); 4.1e9 multiply-adds forward, the
  // figure usually quoted for torchvision's v1.5 (stride on the 3×3); He et al. print 3.8e9 for v1.
  // fp32 and micro-batch 32 [uncertain], as for ResNet-18.
  "resnet-50": {
    family: "cnn",
    name: "ResNet-50 (ImageNet)",
    parameters: 25_557_032,
    forwardMultiplyAdds: 4.1e9,
    bytesPerValue: 4,
    microBatch: 32, // [uncertain]
  },
};

/** FLOPs of one forward + backward over one sample (see the module comment). */
export function presetFlopsPerSample(preset: ModelPreset, sequenceLength?: number): number {
  if (preset.family === "transformer") {
    return 6 * preset.parameters * (sequenceLength ?? preset.sequenceLength);
  }
  return 3 * 2 * preset.forwardMultiplyAdds;
}

export interface PresetOptions {
  readonly batchSize?: number;
  /** Transformers only. */
  readonly sequenceLength?: number;
}

/** A preset as a shape-only `Problem`: sizes and costs, no numbers. */
export class PresetProblem implements Problem {
  readonly name: string;
  readonly dimension: number;
  readonly bytesPerValue: number;
  readonly flopsPerSample: number;
  readonly batchSize: number;
  readonly workers: number;
  readonly numeric = false;
  readonly preset: ModelPreset;
  /** Tokens per sample for transformers, undefined for CNNs. */
  readonly sequenceLength: number | undefined;

  constructor(model: PresetModel, workers: number, options: PresetOptions = {}) {
    const preset = modelPresets[model];
    this.preset = preset;
    this.name = model;
    this.workers = workers;
    this.dimension = preset.parameters;
    this.bytesPerValue = preset.bytesPerValue;
    this.batchSize = options.batchSize ?? preset.microBatch;
    this.sequenceLength =
      preset.family === "transformer" ? (options.sequenceLength ?? preset.sequenceLength) : undefined;
    this.flopsPerSample = presetFlopsPerSample(preset, this.sequenceLength);
  }

  initialParameters(kernels: Kernels): Vec {
    return kernels.alloc(this.dimension);
  }

  gradient(): number {
    return Number.NaN;
  }

  loss(): number {
    return Number.NaN;
  }
}
