import type { Transport } from "../compute/transport.ts";

/**
 * Vectors between worker processes: the coordinator hands `data` to the source worker's process,
 * which writes it straight to the destination's process over their peer TCP connection; the
 * destination sends what it received back to the coordinator (which keeps every worker's vectors),
 * and that copy is what `move` resolves with. A move to oneself is a plain copy.
 */
export class ProcessTransport implements Transport {
  readonly label = "tcp between worker processes";
  private readonly route: (src: number, dst: number, data: Float32Array) => Promise<Float32Array>;

  constructor(route: (src: number, dst: number, data: Float32Array) => Promise<Float32Array>) {
    this.route = route;
  }

  move(src: number, dst: number, data: Float32Array): Promise<Float32Array> {
    if (src === dst) return Promise.resolve(data.slice());
    return this.route(src, dst, data);
  }

  /** The cluster owns the connections: `ProcessCluster.close` ends them. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
