/**
 * Dotted paths into a raw (parsed, not yet decoded) scenario: `cluster.devices.3.speed`. The same
 * spelling is used in error messages and in `--set`, so a path from an error can be pasted back.
 */

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? "scenario" : path.map(formatKey).join(".");
}

// Characters that would break an error message's one line, or hide in it: controls, line separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A key as written, or quoted with escapes when it holds a character that would break the line. */
function formatKey(key: PropertyKey): string {
  const text = String(key);
  if (text.search(UNPRINTABLE) < 0) return text;
  return `"${text.replace(/["\\]/g, "\\$&").replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/** The value at `path` in `root`, or undefined where the path leads nowhere. */
export function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return undefined;
    if (!Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
