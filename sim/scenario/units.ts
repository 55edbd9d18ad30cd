import { InputError } from "../errors.ts";

/**
 * Quantities written with their unit ("10 Gb/s", "1.5 ms", "1 GiB", "312 TFLOPS"), read into SI base
 * units: bytes/s, seconds, bytes, FLOP/s and FLOPs. Scenario files state units so that nobody has to
 * guess whether a bare 10 is in bits or bytes; a plain number is still accepted and means the base unit.
 *
 * Units are case-sensitive where case carries meaning: b is a bit and B a byte, m (milli) is never M.
 */
export type QuantityKind = "bandwidth" | "time" | "size" | "flopRate" | "flops";

export interface QuantityOptions {
  /** Accept 0 (a latency, a start time, an empty message). Negative values are never accepted. */
  readonly allowZero?: boolean;
}

/**
 * A unit's size in base units is 10^exp10 · factor. Decimal scales are kept as exponents so that
 * "5 us" reads as the number 5e-6 itself (correctly rounded) rather than 5 · 1e-6, which is one ulp
 * off; the remaining factors (2^k, 1/8, 60, 3600) are exact or cost a single rounding.
 */
interface Scale {
  readonly exp10: number;
  readonly factor: number;
}

const DECIMAL: ReadonlyArray<readonly [string, Scale]> = [
  ["", { exp10: 0, factor: 1 }],
  ["k", { exp10: 3, factor: 1 }],
  ["K", { exp10: 3, factor: 1 }],
  ["M", { exp10: 6, factor: 1 }],
  ["G", { exp10: 9, factor: 1 }],
  ["T", { exp10: 12, factor: 1 }],
  ["P", { exp10: 15, factor: 1 }],
  ["E", { exp10: 18, factor: 1 }],
];

const BINARY: ReadonlyArray<readonly [string, Scale]> = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].map(
  (prefix, i) => [prefix, { exp10: 0, factor: 2 ** (10 * (i + 1)) }] as const,
);

/** Every prefix × base-unit spelling, to its scale. */
function withPrefixes(
  bases: ReadonlyArray<readonly [string, number]>,
  prefixes: ReadonlyArray<readonly [string, Scale]>,
): ReadonlyMap<string, Scale> {
  const table = new Map<string, Scale>();
  for (const [prefix, scale] of prefixes) {
    for (const [base, factor] of bases)
      table.set(prefix + base, { exp10: scale.exp10, factor: scale.factor * factor });
  }
  return table;
}

const BYTE_PREFIXES = [...DECIMAL, ...BINARY];

const UNITS: Readonly<Record<QuantityKind, ReadonlyMap<string, Scale>>> = {
  // A bit is an eighth of a byte; "bps" is the networking spelling of b/s.
  bandwidth: withPrefixes(
    [
      ["B/s", 1],
      ["b/s", 1 / 8],
      ["bps", 1 / 8],
    ],
    BYTE_PREFIXES,
  ),
  size: withPrefixes(
    [
      ["B", 1],
      ["b", 1 / 8],
    ],
    BYTE_PREFIXES,
  ),
  time: new Map([
    ["ns", { exp10: -9, factor: 1 }],
    ["us", { exp10: -6, factor: 1 }],
    ["µs", { exp10: -6, factor: 1 }], // U+00B5 MICRO SIGN
    ["μs", { exp10: -6, factor: 1 }], // U+03BC GREEK SMALL LETTER MU, what most keyboards produce
    ["ms", { exp10: -3, factor: 1 }],
    ["s", { exp10: 0, factor: 1 }],
    ["min", { exp10: 0, factor: 60 }],
    ["h", { exp10: 0, factor: 3600 }],
  ]),
  // "FLOPS" (capital S) is the usual spelling of a rate, "FLOPs" of a count; each is accepted only in
  // its own kind so that a rate cannot be silently read as a count.
  flopRate: withPrefixes(
    [
      ["FLOP/s", 1],
      ["flop/s", 1],
      ["FLOPS", 1],
    ],
    DECIMAL,
  ),
  flops: withPrefixes(
    [
      ["FLOP", 1],
      ["FLOPs", 1],
      ["flop", 1],
    ],
    DECIMAL,
  ),
};

const EXAMPLES: Readonly<Record<QuantityKind, string>> = {
  bandwidth: `bandwidth such as "10 Gb/s" or "25 GB/s" (b = bit, B = byte; prefixes k M G T P, Ki Mi Gi Ti; a plain number is bytes/s)`,
  time: `time such as "5 us", "1.5 ms" or "2 s" (units ns, us, ms, s, min, h; a plain number is seconds)`,
  size: `size such as "100 MB" or "1 GiB" (B = byte, b = bit; prefixes k M G T P, Ki Mi Gi Ti; a plain number is bytes)`,
  flopRate: `FLOP rate such as "100 TFLOP/s" or "312 TFLOPS" (prefixes k M G T P E; a plain number is FLOP/s)`,
  flops: `FLOP count such as "1.2 GFLOP" (prefixes k M G T P E; a plain number is FLOPs)`,
};

/**
 * The range of every positive quantity of a kind, in base units, far beyond any real device or link
 * (a femtosecond to 30 000 years; a thousandth of a byte per second to a zettabyte per second …).
 * Outside it a scenario cannot run in float64: a latency of 1e308 s summed twice is Infinity, a compute
 * time of 1e-320 s (a denormal) never moves the clock. Within it, sums and products of a run's
 * quantities stay finite (issue #15).
 */
export const QUANTITY_RANGE: Readonly<Record<QuantityKind, { readonly min: number; readonly max: number }>> =
  {
    time: { min: 1e-15, max: 1e12 },
    bandwidth: { min: 1e-3, max: 1e21 },
    size: { min: 1e-3, max: 1e21 },
    flopRate: { min: 1e-3, max: 1e24 },
    flops: { min: 1e-3, max: 1e30 },
  };

const BASE_UNIT: Readonly<Record<QuantityKind, string>> = {
  time: "s",
  bandwidth: "B/s",
  size: "B",
  flopRate: "FLOP/s",
  flops: "FLOP",
};

/** What a field of this kind accepts, in words: the `expected` part of an InputError. */
export function describeQuantity(kind: QuantityKind, options: QuantityOptions = {}): string {
  const { min, max } = QUANTITY_RANGE[kind];
  const unit = BASE_UNIT[kind];
  const short = (n: number) => (n >= 1e6 ? n.toExponential().replace("e+", "e") : String(n));
  const range = `${options.allowZero ? "0 or " : ""}${short(min)} ${unit} to ${short(max)} ${unit}`;
  return `a ${options.allowZero ? "non-negative" : "positive"} ${EXAMPLES[kind]}, from ${range}`;
}

// A decimal number (optionally signed, optionally in scientific notation), optional spaces, then the
// unit. The sign is captured so that "-1 Gb/s" is read and refused as negative, not as garbage.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+))?\s*(\S*)$/;

/** The value in SI base units, or undefined when `input` is not an acceptable quantity of `kind`. */
export function readQuantity(
  kind: QuantityKind,
  input: unknown,
  options: QuantityOptions = {},
): number | undefined {
  let value: number;
  if (typeof input === "number") {
    value = input;
  } else if (typeof input === "string") {
    const match = QUANTITY.exec(input.trim());
    if (match === null) return undefined;
    const [, significand, exponent = "0", unit = ""] = match;
    const scale = unit === "" ? { exp10: 0, factor: 1 } : UNITS[kind].get(unit);
    if (scale === undefined) return undefined;
    value = Number(`${significand}e${Number(exponent) + scale.exp10}`) * scale.factor;
  } else {
    return undefined;
  }
  if (!Number.isFinite(value)) return undefined;
  if (value > 0)
    return value >= QUANTITY_RANGE[kind].min && value <= QUANTITY_RANGE[kind].max ? value : undefined;
  // "-0 s" is zero too; return +0 so that nothing downstream sees a negative sign.
  return options.allowZero === true && value === 0 ? 0 : undefined;
}

/** Reads a quantity or throws the InputError naming `path`. */
export function parseQuantity(
  kind: QuantityKind,
  input: unknown,
  path: string,
  options: QuantityOptions = {},
): number {
  const value = readQuantity(kind, input, options);
  if (value === undefined) throw new InputError(path, input, describeQuantity(kind, options));
  return value;
}

/** Bytes per second. */
export function parseBandwidth(input: unknown, path = "bandwidth"): number {
  return parseQuantity("bandwidth", input, path);
}

/** Seconds. */
export function parseTime(input: unknown, path = "time", options: QuantityOptions = {}): number {
  return parseQuantity("time", input, path, options);
}

/** Bytes. */
export function parseSize(input: unknown, path = "size", options: QuantityOptions = {}): number {
  return parseQuantity("size", input, path, options);
}

/** FLOP per second. */
export function parseFlopRate(input: unknown, path = "flop rate"): number {
  return parseQuantity("flopRate", input, path);
}

/** FLOPs (a count of floating-point operations). */
export function parseFlops(input: unknown, path = "flops"): number {
  return parseQuantity("flops", input, path);
}

/** The unit spellings of a kind, each with the size of one such unit in base units (tests, docs). */
export function unitsOf(kind: QuantityKind): ReadonlyMap<string, number> {
  return new Map([...UNITS[kind]].map(([unit, scale]) => [unit, Number(`1e${scale.exp10}`) * scale.factor]));
}
