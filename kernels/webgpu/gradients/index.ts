/**
 * `createGpuGradient(ctx, problem, worker)`: the WebGPU gradient of one worker's shard of a problem
 * (least squares, logistic regression, the MNIST MLP), its data uploaded once.
 *
 * kernels/ imports nothing from sim/ (DESIGN.md's layers), so the problem is read through the
 * structural types below — what sim/problems' classes expose — and a `Problem` is passed as is.
 */
import type { GpuContext } from "../context.ts";
import type { GpuGradient } from "./gpu-gradient.ts";
import { createLinearGradient } from "./linear-model.ts";
import { createMlpGradient } from "./mlp.ts";

export type { GpuGradient } from "./gpu-gradient.ts";

/** The fields of a LinearModelProblem (least-squares.ts, logistic.ts) the kernels need. */
interface LinearModelSource {
  readonly name: "least-squares" | "logistic";
  readonly dimension: number;
  readonly l2: number;
  readonly features: readonly ArrayLike<number>[];
  readonly targets: readonly ArrayLike<number>[];
}

/** The fields of an MlpProblem (mlp.ts) the kernels need. */
interface MlpSource {
  readonly name: "mlp";
  readonly hidden: number;
  readonly shards: readonly Int32Array[];
  readonly images: { readonly pixels: Float32Array; readonly labels: ArrayLike<number> };
}

/** Any problem: only its name decides whether the device can compute its gradient. */
export interface ProblemSource {
  readonly name: string;
  readonly workers: number;
}

export const GPU_GRADIENT_PROBLEMS = ["least-squares", "logistic", "mlp"] as const;

/**
 * The gradient of worker `worker`'s local objective on `ctx`. Throws an Error naming the problem for
 * a kind with no WebGPU kernels (quadratic, shape-only presets), and a RangeError for a bad worker.
 */
export function createGpuGradient(ctx: GpuContext, problem: ProblemSource, worker: number): GpuGradient {
  if (!Number.isInteger(worker) || worker < 0 || worker >= problem.workers)
    throw new RangeError(`gradient: worker ${worker} is not one of the problem's ${problem.workers}`);
  switch (problem.name) {
    case "least-squares":
    case "logistic": {
      const p = problem as unknown as LinearModelSource;
      return createLinearGradient(ctx, {
        loss: p.name,
        dimension: p.dimension,
        l2: p.l2,
        features: p.features[worker]!,
        targets: p.targets[worker]!,
      });
    }
    case "mlp": {
      const p = problem as unknown as MlpSource;
      const shard = p.shards[worker]!;
      const pixels = new Float32Array(shard.length * 784);
      const labels = new Uint32Array(shard.length);
      shard.forEach((image, s) => {
        pixels.set(p.images.pixels.subarray(image * 784, (image + 1) * 784), s * 784);
        labels[s] = p.images.labels[image]!;
      });
      return createMlpGradient(ctx, { hidden: p.hidden, pixels, labels });
    }
    default:
      throw new Error(
        `problem "${problem.name}" has no WebGPU gradient kernels (only ${GPU_GRADIENT_PROBLEMS.join(", ")}); run it in the simulator`,
      );
  }
}
