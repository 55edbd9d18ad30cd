import { buildConvexProblem } from "../../../problems/index.ts";
import { finite, withDefault } from "../../fields.ts";
import { defineProblem } from "../problem-entry.ts";
import { batchSize, dimension, heterogeneity, samplesPerWorker } from "./shared-fields.ts";

export const leastSquares = defineProblem({
  kind: "least-squares",
  summary: "Linear regression on synthetic data.",
  description: "f_i(x) = (1/2m) Σ (aᵀx − b)² on worker i's synthetic shard; μ, L and x* exact.",
  fields: {
    dimension: dimension(10),
    samplesPerWorker: samplesPerWorker(100),
    batchSize: batchSize(100),
    noise: withDefault(finite({ atLeast: 0 }, { description: "Standard deviation of the target noise." }), 1),
    heterogeneity,
    l2: withDefault(finite({ atLeast: 0 }, { description: "λ of the ℓ2 term (λ/2)‖x‖²." }), 0),
  },
  build: (spec, workers, streams, path) => buildConvexProblem("least-squares", spec, workers, streams, path),
});
