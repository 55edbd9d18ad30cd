import type { WorkerCompute } from "../compute/worker-compute.ts";

/** Asks a worker's process for a gradient: x and the batch go there, g and the loss come back. */
export type GradientRequest = (
  worker: number,
  x: Float32Array,
  batch: Int32Array | undefined,
) => Promise<{ readonly g: Float32Array; readonly loss: number }>;

/**
 * A worker's WorkerCompute when the worker is another OS process. The process computes with its own
 * CPU or WebGPU WorkerCompute, the same code as in one process, so the numbers are the same. Closing
 * it only stops its use here: the cluster owns the process and stops it (`ProcessCluster.close`).
 */
export class RemoteCompute implements WorkerCompute {
  readonly label: string;
  private readonly worker: number;
  private readonly request: GradientRequest;
  private closed = false;

  constructor(label: string, worker: number, request: GradientRequest) {
    this.label = label;
    this.worker = worker;
    this.request = request;
  }

  async gradient(
    worker: number,
    x: Float32Array,
    batch: Int32Array | undefined,
    g: Float32Array,
  ): Promise<number> {
    if (this.closed) throw new Error(`${this.label}: gradient after close`);
    if (worker !== this.worker) {
      throw new RangeError(
        `${this.label} computes worker ${this.worker}'s gradients, asked for worker ${worker}'s`,
      );
    }
    const answer = await this.request(worker, x, batch);
    if (answer.g.length !== g.length) {
      throw new RangeError(`${this.label}: gradient of length ${answer.g.length}, expected ${g.length}`);
    }
    g.set(answer.g);
    return answer.loss;
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
