import { buildConvexProblem } from "../../../problems/index.ts";
import { finite, withDefault } from "../../fields.ts";
import { defineProblem } from "../problem-entry.ts";
import { batchSize, dimension, heterogeneity, samplesPerWorker } from "./shared-fields.ts";

export const logistic = defineProblem({
  kind: "logistic",
  summary: "ℓ2-regularised logistic regression.",
  description: "Labels ±1 on synthetic data; μ = λ, L and x* computed.",
  fields: {
    dimension: dimension(10),
    samplesPerWorker: samplesPerWorker(100),
    batchSize: batchSize(100),
    heterogeneity,
    l2: withDefault(finite({ above: 0 }, { description: "λ of the ℓ2 term, = μ." }), 1),
  },
  build: (spec, workers, streams, path) => buildConvexProblem("logistic", spec, workers, streams, path),
});
