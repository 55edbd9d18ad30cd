import { InputError } from "../errors.ts";
import { readYaml } from "./yaml-limits.ts";

/**
 * `--set path=value`: changes one field of a raw scenario (as parsed from its file, before decoding),
 * so that a sweep or a quick experiment needs no copy of the file. The path is dotted, with list
 * indices as numbers (`cluster.devices.0.speed`); the value is read as YAML, so `0.5`, `true`,
 * `10 Gb/s` and even `{kind: torus, rows: 8}` mean what they would in the file. Decoding then checks
 * the result like any other field, so an unknown field set here gets the usual "did you mean".
 *
 * Returns a new object; `raw` is left as it was. Missing objects along the path are created.
 */
export function applySet(raw: object, assignment: string): object {
  const { path, value } = parseAssignment(assignment);
  const root = structuredClone(raw) as Record<string, unknown>;
  let node: Record<string, unknown> | unknown[] = root;
  path.forEach((key, depth) => {
    const last = depth === path.length - 1;
    if (Array.isArray(node)) {
      const index = Number(key);
      if (!/^\d+$/.test(key) || index > node.length) {
        throw new InputError(
          "--set",
          assignment,
          `an index ≤ ${node.length} at "${path.slice(0, depth + 1).join(".")}" (a list there)`,
        );
      }
      if (last) node[index] = value;
      else node = descend(node, index, path, depth, assignment);
    } else {
      if (last) node[key] = value;
      else node = descend(node, key, path, depth, assignment);
    }
  });
  return root;
}

/** The container at `container[key]`, created (a list if the next key is a number) when missing. */
function descend(
  container: Record<string, unknown> | unknown[],
  key: string | number,
  path: readonly string[],
  depth: number,
  assignment: string,
): Record<string, unknown> | unknown[] {
  // Own properties only: "toString" on a plain object is an inherited function, not a field.
  const existing = Object.hasOwn(container, key)
    ? (container as Record<string | number, unknown>)[key]
    : undefined;
  if (existing === undefined || existing === null) {
    const created = /^\d+$/.test(path[depth + 1]!) ? [] : {};
    (container as Record<string | number, unknown>)[key] = created;
    return created;
  }
  if (typeof existing !== "object") {
    const at = path.slice(0, depth + 1).join(".");
    throw new InputError(
      "--set",
      assignment,
      `a path through objects and lists ("${at}" is ${JSON.stringify(existing)})`,
    );
  }
  return existing as Record<string, unknown> | unknown[];
}

// Keys that would reach Object.prototype through a plain object: never a scenario field.
const FORBIDDEN_KEYS = new Set(["__proto__", "prototype", "constructor"]);

const SYNTAX = "path=value, the path dotted (cluster.network.bandwidth=25 Gb/s, cluster.devices.0.speed=0.5)";

function parseAssignment(assignment: string): { path: string[]; value: unknown } {
  const equals = assignment.indexOf("=");
  if (equals < 0) throw new InputError("--set", assignment, SYNTAX);
  const path = assignment.slice(0, equals).trim().split(".");
  if (path.some((key) => key.trim() === "" || key !== key.trim() || FORBIDDEN_KEYS.has(key))) {
    throw new InputError("--set", assignment, SYNTAX);
  }
  return { path, value: parseValue(assignment.slice(equals + 1), assignment) };
}

function parseValue(text: string, assignment: string): unknown {
  // The same budgets as a file's (nesting, aliases): `--set name=[[[…` must not overflow the stack.
  const read = readYaml(text);
  if (!read.ok) throw new InputError("--set", assignment, `a value written as in YAML (${read.reason})`);
  return read.value;
}
