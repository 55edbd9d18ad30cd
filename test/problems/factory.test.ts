import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../sim/engine/random.ts";
import { InputError } from "../../sim/errors.ts";
import type { ProblemSpec } from "../../sim/problems/index.ts";
import { LeastSquaresProblem } from "../../sim/problems/least-squares.ts";
import { LogisticProblem } from "../../sim/problems/logistic.ts";
import { MlpProblem } from "../../sim/problems/mlp.ts";
import { PresetProblem } from "../../sim/problems/presets.ts";
import { buildProblem } from "../../sim/scenario/registry/problem-kinds.ts";

const streams = new RandomStreams(1);

function inputError(spec: unknown, workers = 4): InputError {
  try {
    buildProblem(spec as ProblemSpec, workers, streams, "problem");
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("no InputError");
}

describe("buildProblem", () => {
  it("builds each kind with defaults", () => {
    const ls = buildProblem({ kind: "least-squares" }, 4, streams);
    expect(ls).toBeInstanceOf(LeastSquaresProblem);
    expect(ls.dimension).toBe(10);
    expect(ls.batchSize).toBe(100);
    expect(ls.numeric).toBe(true);
    const lg = buildProblem({ kind: "logistic" }, 4, streams);
    expect(lg).toBeInstanceOf(LogisticProblem);
    expect(lg.mu).toBe(1);
    const mlp = buildProblem({ kind: "mlp", samplesPerWorker: 50 }, 2, streams);
    expect(mlp).toBeInstanceOf(MlpProblem);
    expect(mlp.dimension).toBe(50_890);
    expect(mlp.batchSize).toBe(32);
    const neo = buildProblem({ kind: "preset", model: "gpt-neo-2.7b" }, 8, streams);
    expect(neo).toBeInstanceOf(PresetProblem);
    expect(neo.numeric).toBe(false);
    expect(neo.batchSize).toBe(4);
  });

  it("passes the spec's values through", () => {
    const ls = buildProblem(
      {
        kind: "least-squares",
        dimension: 3,
        samplesPerWorker: 7,
        batchSize: 2,
        noise: 0,
        heterogeneity: 1,
        l2: 0.5,
      },
      2,
      streams,
    ) as LeastSquaresProblem;
    expect([ls.dimension, ls.samplesPerWorker, ls.batchSize, ls.l2]).toEqual([3, 7, 2, 0.5]);
    expect(ls.mu).toBeGreaterThanOrEqual(0.5);
    const mlp = buildProblem(
      { kind: "mlp", hidden: 8, samplesPerWorker: 20, batchSize: 5, skew: "label" },
      1,
      streams,
    );
    expect(mlp.dimension).toBe(784 * 8 + 8 + 80 + 10);
    const iid = buildProblem({ kind: "mlp", hidden: 8, samplesPerWorker: 20, skew: "iid" }, 1, streams);
    expect(iid.batchSize).toBe(20);
    const preset = buildProblem(
      { kind: "preset", model: "llama-2-7b", batchSize: 2, sequenceLength: 2048 },
      1,
      streams,
    );
    expect(preset.batchSize).toBe(2);
    expect(preset.flopsPerSample).toBe(6 * preset.dimension * 2048);
  });

  it("names the field and the expectation of a bad value", () => {
    const cases: [unknown, string][] = [
      [{ kind: "least-squares", dimension: 0 }, "problem.dimension"],
      [{ kind: "least-squares", dimension: 2.5 }, "problem.dimension"],
      [{ kind: "least-squares", dimension: 10_000 }, "problem.dimension"],
      [{ kind: "least-squares", samplesPerWorker: 10, batchSize: 11 }, "problem.batchSize"],
      [{ kind: "least-squares", noise: -1 }, "problem.noise"],
      [{ kind: "least-squares", heterogeneity: Number.NaN }, "problem.heterogeneity"],
      [{ kind: "least-squares", l2: -0.1 }, "problem.l2"],
      [{ kind: "least-squares", dimension: 50, samplesPerWorker: 5 }, "problem.samplesPerWorker"],
      [{ kind: "least-squares", dimension: 500, samplesPerWorker: 1_000_000 }, "problem.samplesPerWorker"],
      [{ kind: "logistic", l2: 0 }, "problem.l2"],
      [{ kind: "mlp", skew: 1.5 }, "problem.skew"],
      [{ kind: "mlp", skew: "dirichlet" }, "problem.skew"],
      [{ kind: "mlp", hidden: 0 }, "problem.hidden"],
      [{ kind: "mlp", testPerClass: 900 }, "problem.testPerClass"],
      [{ kind: "preset", model: "gpt-5" }, "problem.model"],
      [{ kind: "preset", model: "resnet-50", sequenceLength: 10 }, "problem.sequenceLength"],
      [{ kind: "preset", model: "gpt-neo-125m", batchSize: 0 }, "problem.batchSize"],
      [{ kind: "svm" }, "problem.kind"],
    ];
    for (const [spec, path] of cases) {
      const error = inputError(spec);
      expect(error.path, JSON.stringify(spec)).toBe(path);
      expect(error.message).toContain(path);
    }
    expect(inputError({ kind: "preset", model: "gpt-5" }).expected).toContain("gpt-neo-125m");
    expect(() => buildProblem({ kind: "least-squares" }, 0, streams)).toThrow(RangeError);
  });

  it("uses the given path prefix", () => {
    expect(() => buildProblem({ kind: "mlp", hidden: -1 }, 1, streams, "runs[2].problem")).toThrow(
      "runs[2].problem.hidden",
    );
  });
});
