import type { Kernels, Vec } from "../../kernels/kernels.ts";
import { type ModelPreset, presetFlopsPerSample } from "./model-preset.ts";
import { modelPresetRegistry } from "./model-presets.ts";
import type { Problem } from "./problem.ts";

export { type ModelPreset, presetFlopsPerSample } from "./model-preset.ts";

// The models dtsim ships, by name, for the library's users (index.ts). A preset added to the registry
// at run time (model-presets.ts) is not in these: the registry is the source of truth.
export const presetModels = modelPresetRegistry.kinds();
export type PresetModel = string;
export const modelPresets: Readonly<Record<string, ModelPreset>> = Object.fromEntries(
  modelPresetRegistry.entries().map((p) => [p.kind, p]),
);

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
    const preset = modelPresetRegistry.get(model);
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
