import { medianSeconds } from "./timing.ts";

/**
 * The single-threaded Float32Array loops kernels are compared with (and, without a GPU, the
 * machine's own peak and bandwidth): a row-major i-k-j matmul and a saxpy.
 */
export function ramp(n: number, offset: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * 7 + offset) % 13) / 13 - 0.5;
  return out;
}

function plainMatmul(c: Float32Array, a: Float32Array, b: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[row + k]!;
      const bk = k * n;
      for (let j = 0; j < n; j++) c[row + j]! += aik * b[bk + j]!;
    }
  }
}

/** FLOP/s of the plain matmul at n (2n³ FLOPs); its rate is flat in n once rows outgrow L1. */
export async function plainMatmulRate(n: number): Promise<number> {
  const [a, b, c] = [ramp(n * n, 1), ramp(n * n, 2), new Float32Array(n * n)];
  return (2 * n ** 3) / (await medianSeconds(3, () => plainMatmul(c, a, b, n)));
}

/** Bytes/s of the plain y ← y + a·x at n floats (12 bytes per coordinate: two loads, one store). */
export async function plainAxpyRate(n: number): Promise<number> {
  const [x, y] = [ramp(n, 1), ramp(n, 2)];
  const seconds = await medianSeconds(3, () => {
    for (let i = 0; i < n; i++) y[i]! += 1e-3 * x[i]!;
  });
  return (12 * n) / seconds;
}
