import { finite, integer, withDefault } from "../../fields.ts";

/** Fields that several problems share, each with its own default. */

export const dimension = (fallback: number) =>
  withDefault(integer({ min: 1 }, { description: `Number of parameters d.` }), fallback);

export const samplesPerWorker = (fallback: number) =>
  withDefault(integer({ min: 1 }, { description: `Training samples held by each worker.` }), fallback);

export const batchSize = (fallback: number) =>
  withDefault(
    integer(
      { min: 1 },
      {
        description: `Samples per stochastic gradient (≥ samplesPerWorker: the full local gradient).`,
      },
    ),
    fallback,
  );

export const heterogeneity = withDefault(
  finite(
    { atLeast: 0 },
    { description: "0 for iid shards; larger values shift and scale each worker's data." },
  ),
  0,
);
