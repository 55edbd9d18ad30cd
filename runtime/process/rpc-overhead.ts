import type { ProcessCluster } from "./cluster.ts";

export interface RoundTrip {
  /** Median seconds of one remote gradient, request to answer. */
  readonly remoteSeconds: number;
  /** Median seconds of the same gradient computed in this process, for the difference. */
  readonly localSeconds: number;
  /** remote − local: what the process boundary adds to each gradient. */
  readonly overheadSeconds: number;
}

/**
 * What a gradient request to worker `worker`'s process costs beyond the gradient itself: `rounds`
 * sequential requests with the same x and batch, timed one by one, against the same gradient from
 * `local` (a WorkerCompute of this process on the same problem). Use a tiny problem, so that the
 * difference is the messaging.
 */
export async function measureGradientRoundTrip(
  cluster: ProcessCluster,
  local: {
    gradient(
      worker: number,
      x: Float32Array,
      batch: Int32Array | undefined,
      g: Float32Array,
    ): Promise<number>;
  },
  worker: number,
  x: Float32Array,
  batch: Int32Array | undefined,
  rounds = 1000,
): Promise<RoundTrip> {
  const g = new Float32Array(x.length);
  const time = async (compute: typeof local): Promise<number> => {
    const seconds: number[] = [];
    // The first tenth warms up (JIT, TCP windows) and is not counted.
    const warmUp = Math.ceil(rounds / 10);
    for (let round = 0; round < rounds + warmUp; round++) {
      const start = performance.now();
      await compute.gradient(worker, x, batch, g);
      if (round >= warmUp) seconds.push((performance.now() - start) / 1000);
    }
    seconds.sort((a, b) => a - b);
    return seconds[Math.floor(seconds.length / 2)]!;
  };
  const remoteSeconds = await time(cluster.compute(worker));
  const localSeconds = await time(local);
  return { remoteSeconds, localSeconds, overheadSeconds: remoteSeconds - localSeconds };
}
