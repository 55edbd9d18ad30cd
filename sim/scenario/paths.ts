/**
 * Dotted paths into a raw (parsed, not yet decoded) scenario: `cluster.devices.3.speed`. The same
 * spelling is used in error messages and in `--set`, so a path from an error can be pasted back.
 */

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? "scenario" : path.map(String).join(".");
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
