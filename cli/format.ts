/**
 * Numbers for people: three significant digits and a unit that keeps them short ("812 ms",
 * "1.25 GB"). Decimal prefixes, as in scenario files, so that "10 MB" in means 10 MB out.
 */

const SECOND_UNITS: ReadonlyArray<readonly [number, string]> = [
  [1, "s"],
  [1e-3, "ms"],
  [1e-6, "us"],
  [1e-9, "ns"],
];

export function formatSeconds(seconds: number): string {
  if (seconds === 0 || !Number.isFinite(seconds)) return `${seconds} s`;
  if (Math.abs(seconds) >= 3600 * 10) return `${significant(seconds / 3600)} h`;
  for (const [scale, unit] of SECOND_UNITS) {
    if (Math.abs(seconds) >= scale) return `${significant(seconds / scale)} ${unit}`;
  }
  return `${significant(seconds / 1e-9)} ns`;
}

const DECIMAL_PREFIXES = ["", "k", "M", "G", "T", "P", "E"];

/** 1234567 → "1.23 M" + unit; below 1000 the number itself. */
export function formatScaled(value: number, unit: string): string {
  if (value === 0 || !Number.isFinite(value)) return `${value} ${unit}`.trim();
  let exponent = Math.min(
    DECIMAL_PREFIXES.length - 1,
    Math.max(0, Math.floor(Math.log10(Math.abs(value)) / 3)),
  );
  let scaled = value / 1000 ** exponent;
  // 999.96 would print as "1000 k": move up a prefix instead.
  if (Number(significant(scaled)) >= 1000 && exponent < DECIMAL_PREFIXES.length - 1) {
    exponent++;
    scaled = value / 1000 ** exponent;
  }
  return `${significant(scaled)} ${DECIMAL_PREFIXES[exponent]}${unit}`.trim();
}

export function formatBytes(bytes: number): string {
  return formatScaled(bytes, "B");
}

/** An exact integer with thousands separators: 1234567 → "1,234,567". */
export function formatCount(count: number): string {
  if (!Number.isInteger(count)) return significant(count);
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Three significant digits, without a trailing ".0" or exponent notation for ordinary sizes. */
export function significant(value: number): string {
  if (value === 0) return "0";
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const text = value.toFixed(digits);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}
