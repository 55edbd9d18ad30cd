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
export interface TransformerPreset {
  /** What `problem.model` names. */
  readonly kind: string;
  readonly family: "transformer";
  readonly name: string;
  readonly parameters: number;
  readonly sequenceLength: number;
  readonly bytesPerValue: number;
  readonly microBatch: number;
}

export interface CnnPreset {
  /** What `problem.model` names. */
  readonly kind: string;
  readonly family: "cnn";
  readonly name: string;
  readonly parameters: number;
  /** Multiply-adds of one forward pass over one image. */
  readonly forwardMultiplyAdds: number;
  readonly bytesPerValue: number;
  readonly microBatch: number;
}

export type ModelPreset = TransformerPreset | CnnPreset;

/** FLOPs of one forward + backward over one sample (see the module comment). */
export function presetFlopsPerSample(preset: ModelPreset, sequenceLength?: number): number {
  if (preset.family === "transformer") {
    return 6 * preset.parameters * (sequenceLength ?? preset.sequenceLength);
  }
  return 3 * 2 * preset.forwardMultiplyAdds;
}
