import fc from "fast-check";
import { stringify } from "yaml";
import type { BaseScenario, MutatedScenario } from "./scenario-mutations.ts";
import { mutatedScenario } from "./scenario-mutations.ts";

/**
 * Hostile scenario files for the fuzz test (issue #15): on top of scenario-mutations.ts's broken
 * files, the attacks that used to end in an internal error, a V8 abort or a hang — deep nesting,
 * aliases, huge and tiny numbers, duplicated keys, several YAML documents, random bytes, huge files —
 * and mutations that pass the schema but stress the model: extreme rates, sizes, latencies, compute
 * times, problem heterogeneity and noise.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Numbers at and past every edge: float64's, the quantity ranges', integers past 2^53. */
const EXTREME_NUMBERS: Json[] = [
  5e-324,
  1e-320,
  1e-300,
  1e-16,
  1e-15,
  1e-12,
  1e-9,
  1e-3,
  0.5,
  1,
  2,
  1e3,
  1e6,
  1e9,
  1e12,
  1e15,
  2 ** 53 + 1,
  1e21,
  1e24,
  1e30,
  1e100,
  1e300,
  1.7976931348623157e308,
];

/** The same edges written with units of every kind (some right for a field, most wrong). */
const EXTREME_QUANTITIES: Json[] = [
  "1e-15 s",
  "1e-16 s",
  "1 ns",
  "1e12 s",
  "1.1e12 s",
  "1e6 h",
  "1e-3 B/s",
  "1 b/s",
  "1e21 B/s",
  "1e22 B/s",
  "1 Tb/s",
  "1e-3 B",
  "1e21 B",
  "1 EiB",
  "1e24 FLOP/s",
  "1e-3 FLOP/s",
  "1e30 FLOP",
  "1e400 GB",
  `${"9".repeat(400)} GB`,
  `0.${"0".repeat(400)}1 s`,
];

const extremeValue = fc.constantFrom<Json>(...EXTREME_NUMBERS, ...EXTREME_QUANTITIES);

/** Every path to a number or a string leaf (where a rate, a size, a time or a count lives). */
function leafPaths(tree: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (tree === null || typeof tree !== "object") {
    return typeof tree === "number" || typeof tree === "string" ? [prefix] : [];
  }
  const entries: Array<[string | number, Json]> = Array.isArray(tree)
    ? tree.map((v, i) => [i, v])
    : Object.entries(tree);
  return entries.flatMap(([key, value]) => leafPaths(value, [...prefix, key]));
}

function setAt(tree: Json, path: ReadonlyArray<string | number>, value: Json): Json {
  const copy = structuredClone(tree);
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[path[path.length - 1]!] = value;
  return copy;
}

/** Fields whose extremes stress the model but that the schema may accept; the workers are left alone. */
const STRESSED_FIELDS =
  /(rate|time|bytes|latency|bandwidth|flops|memory|speed|efficiency|cv|lr|noise|heterogeneity|gap|count|period|interval|mean|duration|size|dimension|samples|batch)/i;

/** One to three leaves of a base set to extreme values, written as YAML. */
function stressed(base: BaseScenario): fc.Arbitrary<MutatedScenario> {
  const paths = leafPaths(base.tree).filter((path) => path.some((k) => STRESSED_FIELDS.test(String(k))));
  const problemEdges: fc.Arbitrary<[Array<string | number>, Json]> = fc.oneof(
    fc.tuple(
      fc.constantFrom<Array<string | number>>(
        ["problem", "heterogeneity"],
        ["problem", "noise"],
        ["problem", "l2"],
      ),
      fc.constantFrom<Json>(0, 1e-300, 1e-9, 1, 10, 50, 99, 100, 101, 1000, 1e6, 1e7, 1e300),
    ),
    // Sizes at their edges, kept cheap: a d of 500 costs an O(d³) eigensolve per case.
    fc.tuple(
      fc.constantFrom<Array<string | number>>(["problem", "dimension"], ["problem", "samplesPerWorker"]),
      fc.constantFrom<Json>(0, 1, 2, 3, 501, 1e6, 1e8, 2 ** 31, 1e300),
    ),
  );
  const leafEdges: fc.Arbitrary<[Array<string | number>, Json]> =
    paths.length === 0 ? problemEdges : fc.tuple(fc.constantFrom(...paths), extremeValue);
  const edit = "problem" in base.tree ? fc.oneof(leafEdges, problemEdges) : leafEdges;
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    let tree: Json = base.tree;
    for (const [path, value] of edits) {
      if (path[0] === "problem" && (tree as Record<string, Json>).problem === undefined) continue;
      tree = setAt(tree, path, value);
    }
    return {
      description: `${base.name}: stress ${edits.map(([p, v]) => `${p.join(".")}=${JSON.stringify(v)}`).join(", ")}`,
      content: stringify(tree),
      extension: ".yaml" as const,
    };
  });
}

/** Brackets (flow) or indentation (block) nested `depth` deep, in place of a value. */
function nested(base: BaseScenario): fc.Arbitrary<MutatedScenario> {
  return fc
    .tuple(fc.constantFrom(2, 10, 63, 64, 65, 200, 800, 5000), fc.constantFrom("[", "{a: ", "block"))
    .map(([depth, how]) => {
      let value: string;
      if (how === "block") {
        // Block nesting costs depth² characters: capped so the file stays small.
        const d = Math.min(depth, 200);
        value = `\n${Array.from({ length: d }, (_, i) => `${" ".repeat(2 * i + 2)}k:`).join("\n")} 1`;
      } else {
        const close = how === "[" ? "]" : "}";
        value = `${how.repeat(depth)}1${close.repeat(depth)}`;
      }
      return {
        description: `${base.name}: name nested ${depth} deep (${how})`,
        content: `${base.text}\nname: ${value}\n`.replace(/^name:.*\n/m, ""),
        extension: ".yaml" as const,
      };
    });
}

/** Anchors and aliases: many of them, or few that expand into many ("billion laughs"). */
const aliases: fc.Arbitrary<MutatedScenario> = fc
  .tuple(fc.constantFrom(1, 50, 99, 100, 101, 1000), fc.boolean())
  .map(([count, laughs]) => {
    const content = laughs
      ? [
          "l0: &l0 [1, 2]",
          ...Array.from({ length: Math.min(count, 40) }, (_, i) => `l${i + 1}: &l${i + 1} [*l${i}, *l${i}]`),
        ].join("\n")
      : `cluster: &c { workers: 4 }\nschedule: { kind: allreduce, bytes: 1 MB }\nx:\n${"  - *c\n".repeat(count)}`;
    return {
      description: `${count} aliases${laughs ? " (nested)" : ""}`,
      content,
      extension: ".yaml" as const,
    };
  });

/** The text with one key's line written twice, or the whole document twice (multi-document YAML). */
function duplicated(base: BaseScenario): fc.Arbitrary<MutatedScenario> {
  const lines = base.text.split("\n");
  const keyLines = lines.flatMap((line, i) => (/^\s*[A-Za-z]\w*:/.test(line) ? [i] : []));
  return fc.oneof(
    fc.constantFrom(...keyLines).map((i) => ({
      description: `${base.name}: line ${i + 1} twice`,
      content: [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)].join("\n"),
      extension: ".yaml" as const,
    })),
    fc.constantFrom("---\n", "\n---\n", "\n...\n---\n", "\n--- {}\n").map((separator) => ({
      description: `${base.name}: two documents (${JSON.stringify(separator)})`,
      content: `${base.text}${separator}${base.text}`,
      extension: ".yaml" as const,
    })),
  );
}

const randomBytes: fc.Arbitrary<MutatedScenario> = fc
  .uint8Array({ minLength: 0, maxLength: 2048 })
  .map((bytes) => ({
    description: `${bytes.length} random bytes`,
    content: bytes,
    extension: ".yaml" as const,
  }));

/** Files past the 16 MiB cap, and big ones within it (a long comment, a long string). */
function huge(base: BaseScenario): fc.Arbitrary<MutatedScenario> {
  return fc.constantFrom(1 << 20, 17 << 20).map((bytes) => ({
    description: `${base.name}: ${bytes} bytes of comment`,
    content: `${base.text}\n# ${"x".repeat(bytes)}\n`,
    extension: ".yaml" as const,
  }));
}

/** One hostile scenario file: broken, attacking the parser, or valid and extreme. */
export function hostileScenario(bases: ReadonlyArray<BaseScenario>): fc.Arbitrary<MutatedScenario> {
  const base = fc.constantFrom(...bases);
  return fc.oneof(
    { weight: 300, arbitrary: mutatedScenario(bases) },
    { weight: 400, arbitrary: base.chain(stressed) },
    { weight: 60, arbitrary: base.chain(nested) },
    { weight: 40, arbitrary: aliases },
    { weight: 80, arbitrary: base.chain(duplicated) },
    { weight: 60, arbitrary: randomBytes },
    // About one case in a thousand: each writes up to 17 MB.
    { weight: 1, arbitrary: base.chain(huge) },
  );
}
