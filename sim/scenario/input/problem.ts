import { Schema } from "effect";
import { presetModels } from "../../problems/presets.ts";
import { finite, integer, oneOf, optional, withDefault } from "../fields.ts";

/** The objective being trained, as written in a file. Only the training schedules use it. */

const dimension = (fallback: number) =>
  withDefault(integer({ min: 1 }, { description: `Number of parameters d.` }), fallback);
const samplesPerWorker = (fallback: number) =>
  withDefault(integer({ min: 1 }, { description: `Training samples held by each worker.` }), fallback);
const batchSize = (fallback: number) =>
  withDefault(
    integer(
      { min: 1 },
      {
        description: `Samples per stochastic gradient (≥ samplesPerWorker: the full local gradient).`,
      },
    ),
    fallback,
  );
const heterogeneity = withDefault(
  finite(
    { atLeast: 0 },
    { description: "0 for iid shards; larger values shift and scale each worker's data." },
  ),
  0,
);

const LeastSquaresInput = Schema.Struct({
  kind: Schema.Literal("least-squares").annotate({ description: "Linear regression on synthetic data." }),
  dimension: dimension(10),
  samplesPerWorker: samplesPerWorker(100),
  batchSize: batchSize(100),
  noise: withDefault(finite({ atLeast: 0 }, { description: "Standard deviation of the target noise." }), 1),
  heterogeneity,
  l2: withDefault(finite({ atLeast: 0 }, { description: "λ of the ℓ2 term (λ/2)‖x‖²." }), 0),
}).annotate({
  description: "f_i(x) = (1/2m) Σ (aᵀx − b)² on worker i's synthetic shard; μ, L and x* exact.",
});

const LogisticInput = Schema.Struct({
  kind: Schema.Literal("logistic").annotate({ description: "ℓ2-regularised logistic regression." }),
  dimension: dimension(10),
  samplesPerWorker: samplesPerWorker(100),
  batchSize: batchSize(100),
  heterogeneity,
  l2: withDefault(finite({ above: 0 }, { description: "λ of the ℓ2 term, = μ." }), 1),
}).annotate({ description: "Labels ±1 on synthetic data; μ = λ, L and x* computed." });

const QuadraticInput = Schema.Struct({
  kind: Schema.Literal("quadratic").annotate({
    description: "A separable quadratic: cheap O(d) gradients, for large dimensions.",
  }),
  dimension: withDefault(integer({ min: 1, max: 1e8 }, { description: "Number of parameters d." }), 100_000),
  condition: withDefault(
    finite({ atLeast: 1 }, { description: "Condition number κ = L/μ (curvatures log-uniform in [1, κ])." }),
    10,
  ),
  heterogeneity: withDefault(
    finite({ atLeast: 0 }, { description: "Spread of the workers' optima around the common one." }),
    1,
  ),
  noise: withDefault(
    finite({ atLeast: 0 }, { description: "Standard deviation of the gradient noise per coordinate." }),
    0,
  ),
}).annotate({ description: "f_i(x) = ½ Σ_k h_k (x_k − c_ik)²; μ, L and x* exact." });

const MlpInput = Schema.Struct({
  kind: Schema.Literal("mlp").annotate({ description: "A small MLP classifier on MNIST digits." }),
  hidden: withDefault(integer({ min: 1 }, { description: "Hidden units (784 → hidden → 10)." }), 64),
  samplesPerWorker: samplesPerWorker(500),
  batchSize: batchSize(32),
  skew: withDefault(
    oneOf(["iid", "label"], {
      description: "iid shards, or label-skewed (mostly two classes each).",
    }),
    "iid",
  ),
}).annotate({ description: "784 → hidden (ReLU) → 10 softmax, on the digits the mnist package ships." });

const PresetInput = Schema.Struct({
  kind: Schema.Literal("preset").annotate({
    description: "A shape-only model: sizes and costs, no numbers.",
  }),
  model: oneOf(presetModels, { description: "Which model (dtsim presets lists them with their sizes)." }),
  batchSize: optional(integer({ min: 1 }, { description: "Micro-batch size." }), {
    words: "the model's usual",
  }),
  sequenceLength: optional(integer({ min: 1 }, { description: "Tokens per sample (transformers only)." }), {
    words: "the model's usual",
  }),
}).annotate({ description: "Parameter count, FLOPs per sample and bytes per value of a known model." });

export const ProblemInput = Schema.Union([
  LeastSquaresInput,
  LogisticInput,
  QuadraticInput,
  MlpInput,
  PresetInput,
]).annotate({
  description: "The objective trained by a training schedule, chosen by `kind`.",
});

export type ProblemInput = typeof ProblemInput.Type;
