import type { Problem } from "../../sim/problems/problem.ts";
import type { WorkerCompute } from "./worker-compute.ts";

/**
 * Gradients on the host, through the problem's own arithmetic (`gradientOnBatch`, float64 inside):
 * the reference the device backends are checked against, and the fallback where there is no GPU.
 */
export class CpuCompute implements WorkerCompute {
  readonly label = "cpu";
  private readonly problem: Problem;
  private readonly gradientOnBatch: NonNullable<Problem["gradientOnBatch"]>;

  constructor(problem: Problem) {
    const gradientOnBatch = problem.gradientOnBatch;
    if (gradientOnBatch === undefined)
      throw new Error(
        `problem "${problem.name}" has no numeric gradient to compute (shape-only or no batch split)`,
      );
    this.problem = problem;
    this.gradientOnBatch = gradientOnBatch;
  }

  async gradient(
    worker: number,
    x: Float32Array,
    batch: Int32Array | undefined,
    g: Float32Array,
  ): Promise<number> {
    return this.gradientOnBatch.call(this.problem, worker, x, batch, g);
  }

  async close(): Promise<void> {}
}
