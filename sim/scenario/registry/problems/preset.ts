import { buildPresetProblem } from "../../../problems/index.ts";
import { modelPresetRegistry } from "../../../problems/model-presets.ts";
import { integer, oneOf, optional } from "../../fields.ts";
import { defineProblem } from "../problem-entry.ts";

export const preset = defineProblem({
  kind: "preset",
  summary: "A shape-only model: sizes and costs, no numbers.",
  description: "Parameter count, FLOPs per sample and bytes per value of a known model.",
  shapeOnly: true,
  // A getter: `model` takes every model preset registered when the schema is built.
  get fields() {
    return {
      model: oneOf(modelPresetRegistry.kinds(), {
        description: "Which model (dtsim presets lists them with their sizes).",
      }),
      batchSize: optional(integer({ min: 1 }, { description: "Micro-batch size." }), {
        words: "the model's usual",
      }),
      sequenceLength: optional(
        integer({ min: 1 }, { description: "Tokens per sample (transformers only)." }),
        {
          words: "the model's usual",
        },
      ),
    };
  },
  build: (spec, workers, _, path) =>
    buildPresetProblem({ ...spec, model: spec.model as string }, workers, path),
});
