import { Effect, Schema, SchemaGetter } from "effect";
import { describeQuantity, type QuantityKind, type QuantityOptions, readQuantity } from "./units.ts";

/**
 * Building blocks of the scenario schema. Each carries two annotations: `description` (for generated
 * docs) and `expected` (the words after "expected" in the one-line error when the field is wrong).
 * `issues.ts` reads `expected` back, so every leaf field should be built from these helpers.
 *
 * More annotations serve the generated reference (reference.ts) only: `writtenDefault`, the value a
 * field takes when left out, as it would be written in a file, or `defaultWords` where words say it
 * better (both set by `withDefault` and `optional`, so that descriptions never repeat a default); and
 * `docType`, a short name for a field's type where `expected` is a long explanation (quantities).
 */

export interface FieldDocs {
  readonly description: string;
}

/** A quantity with a unit ("10 Gb/s", "5 us"), decoded to its SI base unit. See units.ts. */
export function quantity(kind: QuantityKind, docs: FieldDocs, options: QuantityOptions = {}) {
  const expected = describeQuantity(kind, options);
  // Validation is a check on the written form and conversion a transformation that cannot fail:
  // Effect runs checks of all sibling fields before any transformation, so a bad quantity is then
  // reported together with the other problems of its struct instead of hiding behind them.
  const written = Schema.Union([Schema.Number, Schema.String]).pipe(
    Schema.check(
      Schema.makeFilter((input: number | string) => readQuantity(kind, input, options) !== undefined),
    ),
    Schema.annotate({ expected }),
  );
  return written.pipe(
    Schema.decodeTo(Schema.Number, {
      decode: SchemaGetter.transform(
        (input: number | string) => readQuantity(kind, input, options) ?? Number.NaN,
      ),
      // Encoding writes the base unit as a plain number, which decodes back to the same value.
      encode: SchemaGetter.transform((value: number) => value),
    }),
    Schema.annotate({ ...docs, expected, docType: quantityType(kind, options) }),
  );
}

const QUANTITY_NAMES: Readonly<Record<QuantityKind, string>> = {
  bandwidth: "bandwidth (bytes/s)",
  time: "time (s)",
  size: "size (bytes)",
  flopRate: "FLOP rate (FLOP/s)",
  flops: "FLOP count",
};

/** "time (s) ≥ 0": what the reference shows as a quantity's type; its base unit is what a plain number means. */
function quantityType(kind: QuantityKind, options: QuantityOptions): string {
  return `${QUANTITY_NAMES[kind]} ${options.allowZero === true ? "≥ 0" : "> 0"}`;
}

export interface IntegerRange {
  readonly min: number;
  readonly max?: number;
}

/** A whole number within [min, max] (and exactly representable: at most 2^53 − 1). */
export function integer(range: IntegerRange, docs: FieldDocs) {
  const bounds = [
    Schema.isGreaterThanOrEqualTo(range.min),
    Schema.isLessThanOrEqualTo(range.max ?? Number.MAX_SAFE_INTEGER),
  ];
  const expected =
    range.max === undefined ? `an integer ≥ ${range.min}` : `an integer in [${range.min}, ${range.max}]`;
  return Schema.Number.pipe(Schema.check(Schema.isInt(), ...bounds), Schema.annotate({ ...docs, expected }));
}

/** Bounds of a number: `above`/`below` are exclusive, `atLeast`/`atMost` inclusive. */
export interface NumberRange {
  readonly above?: number;
  readonly atLeast?: number;
  readonly atMost?: number;
  readonly below?: number;
}

/**
 * The magnitudes a plain number may have (or be 0). Past them a scenario's numbers cannot run in
 * float64: a rate of 5e-324 (a denormal) halved is 0, and 1e300 squared is Infinity (issue #15).
 * A hundred orders of magnitude either way leave every real setting inside.
 */
export const NUMBER_MAGNITUDE = { min: 1e-100, max: 1e100 } as const;

const withinMagnitude = (n: number) =>
  n === 0 || (Math.abs(n) >= NUMBER_MAGNITUDE.min && Math.abs(n) <= NUMBER_MAGNITUDE.max);

/** A finite number within the given bounds; `expected` spells the interval out. */
export function finite(range: NumberRange, docs: FieldDocs) {
  const filters = [Schema.isFinite(), Schema.makeFilter(withinMagnitude)];
  if (range.above !== undefined) filters.push(Schema.isGreaterThan(range.above));
  if (range.atLeast !== undefined) filters.push(Schema.isGreaterThanOrEqualTo(range.atLeast));
  if (range.atMost !== undefined) filters.push(Schema.isLessThanOrEqualTo(range.atMost));
  if (range.below !== undefined) filters.push(Schema.isLessThan(range.below));
  const [first, ...rest] = filters;
  // Annotations go after the checks: Effect keeps them on the last check, where readers look.
  return Schema.Number.pipe(
    Schema.check(first!, ...rest),
    Schema.annotate({ ...docs, expected: describeRange(range) }),
  );
}

function describeRange(range: NumberRange): string {
  const { min, max } = NUMBER_MAGNITUDE;
  const short = (n: number) => String(n).replace("e+", "e");
  return `${describeBounds(range)} (magnitude ${short(min)} to ${short(max)} unless 0)`;
}

function describeBounds(range: NumberRange): string {
  const low = range.above ?? range.atLeast;
  const high = range.below ?? range.atMost;
  if (low !== undefined && high !== undefined) {
    const open = range.above !== undefined ? "(" : "[";
    const close = range.below !== undefined ? ")" : "]";
    return `a number in ${open}${low}, ${high}${close}`;
  }
  if (low !== undefined) {
    if (low === 0) return range.above !== undefined ? "a positive number" : "a non-negative number";
    return `a number ${range.above !== undefined ? ">" : "≥"} ${low}`;
  }
  if (high !== undefined) return `a number ${range.below !== undefined ? "<" : "≤"} ${high}`;
  return "a finite number";
}

/** One of a fixed set of words; the error lists them and suggests the closest. */
export function oneOf<const L extends ReadonlyArray<string>>(values: L, docs: FieldDocs) {
  return Schema.Literals(values).pipe(Schema.annotate({ ...docs, expected: `one of ${values.join(" | ")}` }));
}

/** A field that may be left out, in which case `fallback` (written as in a file) is decoded in its place. */
export function withDefault<S extends Schema.Constraint>(schema: S, fallback: S["Encoded"]) {
  return Schema.withDecodingDefaultKey<S>(Effect.succeed(fallback))(schema).annotate({
    writtenDefault: fallback,
  });
}

/**
 * What a left-out field means, for the reference: a value as written in a file (applied by the
 * resolver, where the schema cannot tell whether it applies), or words ("every worker").
 */
export type Fallback = { readonly written: unknown } | { readonly words: string };

/** A field that may be left out; `fallback` says what absence means, when it means more than "none". */
export function optional<S extends Schema.Top>(schema: S, fallback?: Fallback) {
  if (fallback === undefined) return Schema.optionalKey(schema);
  const annotation =
    "words" in fallback ? { defaultWords: fallback.words } : { writtenDefault: fallback.written };
  return Schema.optionalKey(schema.annotate(annotation));
}
