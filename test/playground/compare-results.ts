/** How two results (parsed JSON) differ, number by number. */
export interface NumberComparison {
  /** Every key, string, boolean and array length equal, and every number bit for bit. */
  readonly identical: boolean;
  /** The same keys, strings, booleans, array lengths and integers (event counts, bytes, seeds). */
  readonly sameShape: boolean;
  /** Numbers not bit-identical. */
  readonly differing: number;
  readonly numbers: number;
  /** The largest |a − b| / max(|a|, |b|) over the numbers that differ (0 if none). */
  readonly maxRelative: number;
  /** Where the first difference in shape is, if any. */
  readonly firstShapeDifference: string | undefined;
}

/** Compares two JSON values, skipping the keys in `skip` (wall-clock fields) at any depth. */
export function compareNumbers(a: unknown, b: unknown, skip: ReadonlySet<string>): NumberComparison {
  let differing = 0;
  let numbers = 0;
  let maxRelative = 0;
  let firstShapeDifference: string | undefined;
  const shape = (path: string) => {
    firstShapeDifference ??= path;
  };
  const walk = (x: unknown, y: unknown, path: string) => {
    if (typeof x === "number" && typeof y === "number") {
      numbers++;
      if (Object.is(x, y)) return;
      if (Number.isInteger(x) && Number.isInteger(y) && Math.abs(x) < 2 ** 31 && Math.abs(y) < 2 ** 31) {
        shape(`${path}: ${x} ≠ ${y}`);
        return;
      }
      differing++;
      const relative = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
      maxRelative = Math.max(maxRelative, Number.isNaN(relative) ? Number.POSITIVE_INFINITY : relative);
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) shape(`${path}: ${x.length} ≠ ${y.length} items`);
      for (let i = 0; i < Math.min(x.length, y.length); i++) walk(x[i], y[i], `${path}[${i}]`);
      return;
    }
    if (typeof x === "object" && x !== null && typeof y === "object" && y !== null) {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)].filter((k) => !skip.has(k)));
      for (const key of keys) {
        if (!(key in x) || !(key in y)) shape(`${path}.${key}: only in one`);
        else walk((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key], `${path}.${key}`);
      }
      return;
    }
    if (!Object.is(x, y)) shape(`${path}: ${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`);
  };
  walk(a, b, "");
  const sameShape = firstShapeDifference === undefined;
  return {
    identical: sameShape && differing === 0,
    sameShape,
    differing,
    numbers,
    maxRelative,
    firstShapeDifference,
  };
}
