import { buildMlpProblem } from "../../../problems/index.ts";
import { integer, oneOf, withDefault } from "../../fields.ts";
import { defineProblem } from "../problem-entry.ts";
import { batchSize, samplesPerWorker } from "./shared-fields.ts";

export const mlp = defineProblem({
  kind: "mlp",
  summary: "A small MLP classifier on MNIST digits.",
  description: "784 → hidden (ReLU) → 10 softmax, on the digits the mnist package ships.",
  fields: {
    hidden: withDefault(integer({ min: 1 }, { description: "Hidden units (784 → hidden → 10)." }), 64),
    samplesPerWorker: samplesPerWorker(500),
    batchSize: batchSize(32),
    skew: withDefault(
      oneOf(["iid", "label"], {
        description: "iid shards, or label-skewed (mostly two classes each).",
      }),
      "iid",
    ),
  },
  build: (spec, workers, streams, path) => buildMlpProblem(spec, workers, streams, path),
});
