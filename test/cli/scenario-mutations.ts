import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { repoRoot } from "./dtsim.ts";

/**
 * Broken versions of the real scenario files, for the property that `dtsim check` answers every one
 * with "ok" or with one clear line per problem. A mutation works either on the parsed tree (then the
 * file is written back as YAML or JSON) or on the text itself (truncation, stray bytes).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = ReadonlyArray<string | number>;

export interface BaseScenario {
  /** Relative to the repository root, for messages. */
  readonly name: string;
  readonly text: string;
  readonly tree: { [key: string]: Json };
}

export interface MutatedScenario {
  /** What was done, for fast-check's counterexample report. */
  readonly description: string;
  /** The file's content: text, or raw bytes (stray bytes need not be UTF-8). */
  readonly content: string | Uint8Array;
  readonly extension: ".yaml" | ".json";
  /** A key the mutation added that no scenario object knows: its file must be refused. */
  readonly unknownKey?: string;
}

/** Every scenario file under scenarios/core, papers and sweeps, read and parsed. */
export function baseScenarios(): BaseScenario[] {
  const dir = join(repoRoot, "scenarios");
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".yaml") && /^(core|papers|sweeps)\//.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), "utf8");
      return {
        name: relative(repoRoot, join(dir, file)),
        text,
        tree: parse(text) as { [key: string]: Json },
      };
    });
}

/** Every path to a value in `tree` (object keys and list indices), the root excluded. */
function valuePaths(tree: Json, prefix: Path = []): Path[] {
  if (tree === null || typeof tree !== "object") return [];
  const entries: [string | number, Json][] = Array.isArray(tree)
    ? tree.map((value, i) => [i, value])
    : Object.entries(tree);
  return entries.flatMap(([key, value]) => [[...prefix, key], ...valuePaths(value, [...prefix, key])]);
}

/** The paths whose value is an object (the root included): where a key can be added. */
function objectPaths(tree: Json, prefix: Path = []): Path[] {
  if (tree === null || typeof tree !== "object") return [];
  const here = Array.isArray(tree) ? [] : [prefix];
  const entries: [string | number, Json][] = Array.isArray(tree)
    ? tree.map((value, i) => [i, value])
    : Object.entries(tree);
  return [...here, ...entries.flatMap(([key, value]) => objectPaths(value, [...prefix, key]))];
}

function at(tree: Json, path: Path): Json {
  let node = tree;
  for (const key of path) node = (node as Record<string | number, Json>)[key]!;
  return node;
}

/** A deep copy of `tree` with `edit` applied to the parent of `path` and its last key. */
function editAt(
  tree: Json,
  path: Path,
  edit: (parent: Record<string | number, Json>, key: string | number) => void,
) {
  const copy = structuredClone(tree);
  const parent = at(copy, path.slice(0, -1)) as Record<string | number, Json>;
  edit(parent, path[path.length - 1]!);
  return copy;
}

/** Renames an object key in place, keeping the key order (a list index is left alone). */
function renameKey(parent: Record<string | number, Json>, key: string | number, to: string): void {
  if (Array.isArray(parent) || typeof key === "number") return;
  const entries = Object.entries(parent).map(([k, v]): [string, Json] => [k === key ? to : k, v]);
  for (const k of Object.keys(parent)) delete parent[k];
  for (const [k, v] of entries) parent[k] = v;
}

/** Misspellings of a key: a letter dropped, doubled, swapped with the next, a case change, a suffix. */
function typo(key: string): fc.Arbitrary<string> {
  const position = fc.nat({ max: Math.max(0, key.length - 1) });
  return fc.oneof(
    position.map((i) => key.slice(0, i) + key.slice(i + 1)),
    position.map((i) => key.slice(0, i + 1) + key.slice(i)),
    position.map((i) => key.slice(0, i) + key.slice(i + 1, i + 2) + key.slice(i, i + 1) + key.slice(i + 2)),
    fc.constantFrom(key.toUpperCase(), key.toLowerCase(), `${key[0]?.toUpperCase() ?? ""}${key.slice(1)}`),
    fc.constantFrom("s", "_", " ", "1", "Ms").map((suffix) => key + suffix),
  );
}

/** Unit spellings of every kind (so a size gets a bandwidth's unit, and so on), and ones of no kind. */
const UNITS = [
  ...["B/s", "b/s", "bps", "Gb/s", "GB/s", "Gbps", "MiB/s", "Gbit/s", "GBps", "gb/s", "Gb/S", "Gbs"],
  ...["B", "b", "MB", "GiB", "GB", "mb", "Mb", "KB", "kB", "Gi", "bytes"],
  ...["ns", "us", "µs", "μs", "ms", "s", "min", "h", "sec", "mus", "MS", "S", "hours"],
  ...["FLOP/s", "TFLOP/s", "TFLOPS", "TFLOPs", "GFLOP", "flop", "tflops", "Tflop/s"],
  ...["", "%", "x", "/s", "G", "e", "Gb /s"],
];

/** Values a field should refuse (or, by chance, accept): wrong types, signs, sizes, spellings. */
const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(true, false, null, [], {}, "", " ", "abc", [1, 2], { kind: "ring" }, "kind"),
  fc.constantFrom<Json>(-1, -0.5, 0, -0, "-10 Gb/s", "-1 s", "-1"),
  fc.constantFrom<Json>(
    "NaN",
    "nan",
    ".nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1e999",
    "0x10",
    "1_000",
    "1,5",
  ),
  fc.constantFrom<Json>(1e308, 2 ** 53 + 2, 2 ** 53 - 1, 1e15, 1e12, 1e9, 4294967296, 2 ** 31, 1e-320),
  // Special numbers: YAML writes them as .nan / .inf, which read back as numbers, not strings.
  fc.constantFrom<Json>(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc
    .tuple(
      fc.constantFrom("10", "1.5", "0", "-3", "1e3", "1e400", ".5", "5."),
      fc.constantFrom(...UNITS),
      fc.boolean(),
    )
    .map(([number, unit, space]) => `${number}${space ? " " : ""}${unit}`),
  fc.string({ maxLength: 12 }),
  fc.double(),
  fc.integer(),
);

/** An object key no scenario object has (so its file must be refused). */
const unknownKey = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/).map((key) => `zz${key}`);

type TreeMutation = { readonly description: string; readonly tree: Json; readonly unknownKey?: string };

/** One change to the parsed tree. */
function treeMutation(tree: Json): fc.Arbitrary<TreeMutation> {
  const values = valuePaths(tree);
  const objects = objectPaths(tree);
  const valuePath = fc.constantFrom(...values);
  const show = (path: Path) => (path.length === 0 ? "(root)" : path.join("."));
  return fc.oneof(
    valuePath.map((path) => ({
      description: `delete ${show(path)}`,
      tree: editAt(tree, path, (parent, key) => {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
      }),
    })),
    valuePath
      .filter((path) => typeof path[path.length - 1] === "string")
      .chain((path) => typo(String(path[path.length - 1])).map((to) => ({ path, to })))
      .map(({ path, to }) => ({
        description: `rename ${show(path)} to ${JSON.stringify(to)}`,
        tree: editAt(tree, path, (parent, key) => renameKey(parent, key, to)),
      })),
    fc.tuple(valuePath, wrongValue).map(([path, value]) => ({
      description: `set ${show(path)} to ${JSON.stringify(value)} (${typeof value})`,
      tree: editAt(tree, path, (parent, key) => {
        parent[key] = value;
      }),
    })),
    fc.tuple(fc.constantFrom(...objects), unknownKey, wrongValue).map(([path, key, value]) => ({
      description: `add ${show([...path, key])}: ${JSON.stringify(value)}`,
      tree: editAt(tree, [...path, key], (parent) => {
        parent[key] = value;
      }),
      unknownKey: key,
    })),
    // Nesting gone wrong: a value wrapped in a list or an object, or a key moved up or down a level.
    fc.tuple(valuePath, fc.constantFrom("list", "object", "up", "down")).map(([path, how]) => ({
      description: `nest ${show(path)} wrongly (${how})`,
      tree: nestWrongly(tree, path, how),
    })),
  );
}

function nestWrongly(tree: Json, path: Path, how: "list" | "object" | "up" | "down"): Json {
  const value = at(tree, path);
  const key = path[path.length - 1]!;
  if (how === "list") {
    return editAt(tree, path, (parent, k) => {
      parent[k] = [value];
    });
  }
  if (how === "object") {
    return editAt(tree, path, (parent, k) => {
      parent[k] = { [String(key)]: value };
    });
  }
  const removed = editAt(tree, path, (parent, k) => {
    if (Array.isArray(parent)) parent.splice(k as number, 1);
    else delete parent[k];
  });
  if (how === "up") {
    // Into the grandparent (the root's keys go into a list under "cluster" — something wrong anyway).
    const target = path.length >= 2 ? path.slice(0, -2) : [];
    const parent = at(removed, target);
    if (parent !== null && typeof parent === "object" && !Array.isArray(parent)) parent[String(key)] = value;
    return removed;
  }
  // Down: under a sibling object, if there is one; else under a new key "spec".
  const parent = at(removed, path.slice(0, -1));
  if (parent === null || typeof parent !== "object" || Array.isArray(parent)) return removed;
  const sibling = Object.values(parent).find((v) => v !== null && typeof v === "object" && !Array.isArray(v));
  if (sibling !== undefined) (sibling as Record<string, Json>)[String(key)] = value;
  else parent.spec = { [String(key)]: value };
  return removed;
}

/** Bytes that YAML and UTF-8 find hard: controls, NUL, a BOM, invalid UTF-8, quotes, indentation. */
const garbage = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 8 }),
  fc.constantFrom(
    "\0",
    "\t",
    "\r",
    "\uFEFF",
    "\u2028",
    ":",
    ": :",
    "- ",
    "&a *a",
    "*undefined",
    "!!binary",
    "!!js/function",
    "{",
    "]",
    '"',
    "'",
    "#",
    "%YAML 1.1\n",
    "---\n",
    "\n  ",
    "<<: *x",
    "? ",
  ),
);

function insertAt(text: string, position: number, insert: string | Uint8Array): string | Uint8Array {
  if (typeof insert === "string") return text.slice(0, position) + insert + text.slice(position);
  const bytes = Buffer.from(text, "utf8");
  const at = Math.min(position, bytes.length);
  return Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(at)]);
}

/** A mutated version of one of `bases`: one to three tree changes, or a text change. */
export function mutatedScenario(bases: ReadonlyArray<BaseScenario>): fc.Arbitrary<MutatedScenario> {
  return fc.constantFrom(...bases).chain((base) => {
    const treeChanges = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom<".yaml" | ".json">(".yaml", ".json"))
      .chain(([count, extension]) => {
        const step = (mutation: fc.Arbitrary<TreeMutation>, left: number): fc.Arbitrary<TreeMutation> =>
          left === 0
            ? mutation
            : step(
                mutation.chain((done) =>
                  treeMutation(done.tree).map((next) => ({
                    description: `${done.description}; ${next.description}`,
                    tree: next.tree,
                  })),
                ),
                left - 1,
              );
        return step(treeMutation(base.tree), count - 1).map((mutation) => ({
          description: `${base.name}: ${mutation.description} (${extension})`,
          content: extension === ".json" ? JSON.stringify(mutation.tree, null, 2) : stringify(mutation.tree),
          extension,
          // Only a lone addition is sure to survive: a later change may delete the object it went into.
          ...(count === 1 && mutation.unknownKey !== undefined ? { unknownKey: mutation.unknownKey } : {}),
        }));
      });
    const position = fc.nat({ max: base.text.length });
    const truncated = position.map((n) => ({
      description: `${base.name}: cut after ${n} characters`,
      content: base.text.slice(0, n),
      extension: ".yaml" as const,
    }));
    const withGarbage = fc.tuple(position, garbage).map(([n, insert]) => ({
      description: `${base.name}: insert ${JSON.stringify(typeof insert === "string" ? insert : [...insert])} at ${n}`,
      content: insertAt(base.text, n, insert),
      extension: ".yaml" as const,
    }));
    return fc.oneof(
      { weight: 6, arbitrary: treeChanges },
      { weight: 1, arbitrary: truncated },
      { weight: 1, arbitrary: withGarbage },
    );
  });
}
