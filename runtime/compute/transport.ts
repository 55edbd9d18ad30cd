/**
 * How a vector's bytes physically travel from one worker to another on the runtime. In one process
 * this is a copy; in multi-process mode the bytes go from the source worker's process to the
 * destination's over their TCP connection. Bandwidth and latency of the scenario's links are enforced
 * separately (the link shaper); a transfer completes when both the shaped time has passed and the
 * bytes have really arrived.
 */
export interface Transport {
  readonly label: string;
  /** Moves `data` (a snapshot the transport may keep) from `src` to `dst`; resolves with dst's copy. */
  move(src: number, dst: number, data: Float32Array): Promise<Float32Array>;
  close(): Promise<void>;
}

/** Workers in one process: the bytes are copied once, as a device → host → device hop would. */
export class InProcessTransport implements Transport {
  readonly label = "in-process";
  move(_src: number, _dst: number, data: Float32Array): Promise<Float32Array> {
    return Promise.resolve(data.slice());
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
