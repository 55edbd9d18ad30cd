import type { RandomStreams } from "../engine/random.ts";
import { InputError } from "../errors.ts";
import { LeastSquaresProblem } from "./least-squares.ts";
import { LogisticProblem } from "./logistic.ts";
import { MlpProblem } from "./mlp.ts";
import { loadMnist } from "./mnist-data.ts";
import { modelPresetRegistry } from "./model-presets.ts";
import { PresetProblem } from "./presets.ts";
import type { Problem } from "./problem.ts";
import { QuadraticProblem } from "./quadratic.ts";

export type { Problem } from "./problem.ts";

/** Fields of the convex synthetic problems; every field has a default (`convexDefaults`). */
export interface ConvexSpec {
  readonly dimension?: number;
  readonly samplesPerWorker?: number;
  /** Default: samplesPerWorker (full local gradients, as in DADAO's deterministic runs). */
  readonly batchSize?: number;
  readonly noise?: number;
  readonly heterogeneity?: number;
  readonly l2?: number;
}

/**
 * A problem described as data: its `kind` and that kind's fields, any of them left out for its default.
 * Which kinds exist is the problem registry's business (sim/scenario/registry/problems.ts); each kind's
 * builder below checks its own fields.
 */
export type ProblemSpec = { readonly kind: string; readonly [field: string]: unknown };

export interface MlpSpec {
  readonly hidden?: number;
  readonly samplesPerWorker?: number;
  readonly batchSize?: number;
  /**
   * Label skew: a fraction in [0, 1] (see `MlpOptions.skew`), or "iid" (0) or "label"
   * (`labelSkew`: each worker gets mostly its two classes).
   */
  readonly skew?: number | "iid" | "label";
  readonly testPerClass?: number;
  readonly lossSamples?: number;
}

export interface QuadraticSpec {
  readonly dimension?: number;
  readonly condition?: number;
  readonly heterogeneity?: number;
  readonly noise?: number;
}

export interface PresetSpec {
  readonly model: string;
  readonly batchSize?: number;
  readonly sequenceLength?: number;
}

/** Quadratic defaults [our choices]: d = 10⁵ is the size the A²CiD² kernel benchmark uses. */
export const quadraticDefaults = { dimension: 100_000, condition: 10, heterogeneity: 1, noise: 0 } as const;

/**
 * Defaults. d = 10 and 100 samples per worker follow DADAO's set-up (100 samples per worker, reference
 * §2.9; its d is not fixed there); noise σ and the logistic noise are our choices [not from the
 * reference]; λ = 1 for logistic regression as in DADAO's code (μ = 1), λ = 0 for least squares.
 */
export const convexDefaults = {
  "least-squares": { dimension: 10, samplesPerWorker: 100, noise: 1, heterogeneity: 0, l2: 0 },
  logistic: { dimension: 10, samplesPerWorker: 100, noise: 0.1, heterogeneity: 0, l2: 1 },
} as const;

/** MLP defaults [our choices, not from the reference]. */
export const mlpDefaults = {
  hidden: 64,
  samplesPerWorker: 500,
  batchSize: 32,
  skew: 0,
  testPerClass: 100,
  lossSamples: 1000,
} as const;

/** The skew "label" stands for: ≈92% of a worker's images from its two classes [our choice]. */
export const labelSkew = 0.9;

/** Largest d of the convex problems [our limit]: their constants cost O(d³) (Jacobi, Cholesky, Newton). */
export const maxConvexDimension = 500;
/**
 * Largest heterogeneity of the convex problems [our limit]: each shard's features are scaled by
 * e^(h·z/2) with z standard normal, which past h ≈ 150 overflows float64 for a z of 8 and at
 * h = 1000 overflows or vanishes for most shards (issue #15: `heterogeneity: 1000` ended in an
 * internal error). 100 already spans scales of e^±250.
 */
export const maxConvexHeterogeneity = 100;
/** Largest target noise of the convex problems [our limit]: the squared residuals stay finite summed. */
export const maxConvexNoise = 1e6;
/** Largest n·m·d of the convex problems [our limit] (float64 data: 400 MB). */
export const maxConvexValues = 5e7;

/** Every builder's first check: a problem is spread over at least one worker. */
export function checkProblemWorkers(workers: number): void {
  if (!Number.isSafeInteger(workers) || workers < 1)
    throw new RangeError(`workers must be ≥ 1, got ${workers}`);
}

/** An MLP on MNIST digits; every field checked, under `path`. */
export function buildMlpProblem(
  spec: MlpSpec,
  workers: number,
  streams: RandomStreams,
  path: string,
): Problem {
  const samplesPerWorker = integer(
    spec.samplesPerWorker,
    mlpDefaults.samplesPerWorker,
    1,
    1e6,
    `${path}.samplesPerWorker`,
  );
  const options = {
    hidden: integer(spec.hidden, mlpDefaults.hidden, 1, 4096, `${path}.hidden`),
    samplesPerWorker,
    batchSize: integer(
      spec.batchSize,
      Math.min(mlpDefaults.batchSize, samplesPerWorker),
      1,
      samplesPerWorker,
      `${path}.batchSize`,
    ),
    skew: skewValue(spec.skew, `${path}.skew`),
    // At most 400 of the smallest digit's 863 images held out [our limit].
    testPerClass: integer(spec.testPerClass, mlpDefaults.testPerClass, 1, 400, `${path}.testPerClass`),
    lossSamples: integer(spec.lossSamples, mlpDefaults.lossSamples, 1, 1e6, `${path}.lossSamples`),
  };
  return new MlpProblem(options, workers, streams, loadMnist());
}

export function buildQuadraticProblem(
  spec: QuadraticSpec,
  workers: number,
  streams: RandomStreams,
  path: string,
): Problem {
  return new QuadraticProblem(
    {
      dimension: integer(spec.dimension, quadraticDefaults.dimension, 1, 1e8, `${path}.dimension`),
      condition: real(spec.condition, quadraticDefaults.condition, 1, 1e12, `${path}.condition`),
      heterogeneity: real(
        spec.heterogeneity,
        quadraticDefaults.heterogeneity,
        0,
        1e6,
        `${path}.heterogeneity`,
      ),
      noise: real(spec.noise, quadraticDefaults.noise, 0, 1e6, `${path}.noise`),
    },
    workers,
    streams,
  );
}

/** A model preset as a shape-only problem. */
export function buildPresetProblem(spec: PresetSpec, workers: number, path: string): Problem {
  const model = spec.model;
  const preset = modelPresetRegistry.find(model);
  if (preset === undefined) {
    throw new InputError(`${path}.model`, model, `one of ${modelPresetRegistry.kinds().join(", ")}`);
  }
  const batchSize = integer(spec.batchSize, preset.microBatch, 1, 1e9, `${path}.batchSize`);
  if (preset.family !== "transformer") {
    if (spec.sequenceLength !== undefined) {
      throw new InputError(
        `${path}.sequenceLength`,
        spec.sequenceLength,
        `no sequence length for ${model} (images)`,
      );
    }
    return new PresetProblem(model, workers, { batchSize });
  }
  const sequenceLength = integer(
    spec.sequenceLength,
    preset.sequenceLength,
    1,
    1e7,
    `${path}.sequenceLength`,
  );
  return new PresetProblem(model, workers, { batchSize, sequenceLength });
}

/** Least squares or logistic regression on synthetic shards. */
export function buildConvexProblem(
  kind: "least-squares" | "logistic",
  spec: ConvexSpec,
  workers: number,
  streams: RandomStreams,
  path: string,
): Problem {
  return buildConvex({ ...spec, kind }, workers, streams, path);
}

function buildConvex(
  spec: { readonly kind: "least-squares" | "logistic" } & ConvexSpec,
  workers: number,
  streams: RandomStreams,
  path: string,
): Problem {
  const defaults = convexDefaults[spec.kind];
  const dimension = integer(spec.dimension, defaults.dimension, 1, maxConvexDimension, `${path}.dimension`);
  const samplesPerWorker = integer(
    spec.samplesPerWorker,
    defaults.samplesPerWorker,
    1,
    1e7,
    `${path}.samplesPerWorker`,
  );
  if (workers * samplesPerWorker * dimension > maxConvexValues) {
    throw new InputError(
      `${path}.samplesPerWorker`,
      samplesPerWorker,
      `at most ${maxConvexValues} values in all (workers × samplesPerWorker × dimension = ${workers} × ${samplesPerWorker} × ${dimension})`,
    );
  }
  const batchSize = integer(spec.batchSize, samplesPerWorker, 1, samplesPerWorker, `${path}.batchSize`);
  const noise = real(spec.noise, defaults.noise, 0, maxConvexNoise, `${path}.noise`);
  const heterogeneity = real(
    spec.heterogeneity,
    defaults.heterogeneity,
    0,
    maxConvexHeterogeneity,
    `${path}.heterogeneity`,
  );
  const options = { dimension, samplesPerWorker, batchSize, noise, heterogeneity };
  if (spec.kind === "logistic") {
    const l2 = real(spec.l2, defaults.l2, 0, Number.MAX_VALUE, `${path}.l2`);
    if (l2 === 0)
      throw new InputError(
        `${path}.l2`,
        l2,
        "a positive number (logistic regression needs λ > 0 for a minimiser)",
      );
    return new LogisticProblem({ ...options, l2 }, workers, streams);
  }
  const l2 = real(spec.l2, defaults.l2, 0, Number.MAX_VALUE, `${path}.l2`);
  if (l2 === 0 && workers * samplesPerWorker < dimension) {
    throw new InputError(
      `${path}.samplesPerWorker`,
      samplesPerWorker,
      `workers × samplesPerWorker ≥ dimension (${dimension}) when l2 is 0, so that x* is unique`,
    );
  }
  try {
    const problem = new LeastSquaresProblem({ ...options, l2 }, workers, streams);
    // x* is computed lazily; computed here, a singular Gram matrix is this field's error, not a bug later.
    void problem.xStar;
    return problem;
  } catch (error) {
    if (error instanceof RangeError && /positive definite/.test(error.message)) {
      if (heterogeneity > 0) {
        throw new InputError(
          `${path}.heterogeneity`,
          heterogeneity,
          "a smaller value, or l2 > 0: the shards are so unlike that the data's Gram matrix is singular in float64",
        );
      }
      throw new InputError(`${path}.l2`, l2, "a positive l2: the data's Gram matrix is singular");
    }
    throw error;
  }
}

function skewValue(value: unknown, path: string): number {
  if (value === "iid") return 0;
  if (value === "label") return labelSkew;
  if (typeof value === "string") throw new InputError(path, value, `"iid", "label" or a number from 0 to 1`);
  return real(value, mlpDefaults.skew, 0, 1, path);
}

function integer(value: unknown, fallback: number, min: number, max: number, path: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(path, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

function real(value: unknown, fallback: number, min: number, max: number, path: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Number.MAX_VALUE ? `a finite number ≥ ${min}` : `a number from ${min} to ${max}`;
    throw new InputError(path, value, range);
  }
  return value;
}
