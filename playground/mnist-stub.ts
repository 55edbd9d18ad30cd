/**
 * What the playground's bundle gets instead of the `mnist` package: its ten JSON files (≈21 MB, the
 * digits of the mlp-mnist problem) would make the page that much heavier for one problem. Reading any
 * digit says so, as one line, and the run ends with it.
 */
const unavailable = new Proxy([], {
  get(_target, key) {
    if (typeof key === "symbol") return undefined;
    throw new Error(
      "problem mlp-mnist: not in the playground (the mnist package's 21 MB of digits are left out of the page); run it with dtsim run",
    );
  },
});

export default unavailable;
