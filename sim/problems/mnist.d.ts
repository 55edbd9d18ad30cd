/** Types for the `mnist` package (1.1.0, CommonJS, no types of its own): only what we use. */
declare module "mnist" {
  interface MnistDigit {
    readonly id: number;
    /** Images of this digit: `raw.length / 784`. */
    readonly length: number;
    /** All images of this digit, 784 values in [0, 1] each, concatenated (row-major 28×28). */
    readonly raw: readonly number[];
    /** Image `which` (0-based; out of range, the package picks one with Math.random). */
    get(which: number): number[];
  }
  const mnist: readonly MnistDigit[];
  export default mnist;
}
