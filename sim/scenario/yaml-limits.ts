import { type Document, isAlias, isMap, isPair, isSeq, LineCounter, parseDocument } from "yaml";

/**
 * Budgets for reading YAML (and JSON, which is read as YAML) from people we do not trust: a scenario
 * file or a --set value. Without them a 1.6 KB file of 800 nested brackets overflows the stack
 * somewhere downstream (decoding, cloning, printing a value), and a file of a hundred aliases makes
 * the parser throw its own "Excessive alias count". With them, both end in one clear line.
 *
 * No real scenario nests deeper than about ten levels (a list of custom edges inside a list of graphs
 * inside the topology inside the cluster); 64 leaves ample room. Aliases are rare in scenarios; 100
 * expanded nodes is the YAML library's own default budget, which we keep and name.
 */
export const MAX_NESTING = 64;
export const MAX_ALIASES = 100;

/** A reason the text was refused, with its 1-based line and column. */
export interface YamlRefusal {
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

export type YamlRead =
  | { readonly ok: true; readonly value: unknown }
  | ({ readonly ok: false } & YamlRefusal);

/**
 * Parses `text` as one YAML document within the budgets: the value, or the first syntax error or
 * budget overrun with its position. Duplicate keys are a syntax error (they almost always are a
 * mistake). Never throws for any text.
 */
export function readYaml(text: string): YamlRead {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    // logLevel "error": YAML warnings (an unknown tag, say) must not print behind our back.
    doc = parseDocument(text, { uniqueKeys: true, logLevel: "error", prettyErrors: true, lineCounter });
  } catch (error) {
    // The parser recurses into flow collections: thousands of brackets overflow it before any check.
    if (error instanceof RangeError) return { ok: false, line: 1, column: 1, reason: tooDeep() };
    throw error;
  }
  const [first] = doc.errors;
  if (first !== undefined) {
    const { line, col } = first.linePos?.[0] ?? { line: 1, col: 1 };
    const reason = first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    return { ok: false, line, column: col, reason };
  }
  const overrun = findOverrun(doc.contents);
  if (overrun !== undefined) {
    const { line, col } = lineCounter.linePos(overrun.offset);
    return { ok: false, line, column: col, reason: overrun.reason };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIASES }) };
  } catch (error) {
    // Aliases of aliases: few in the text, but each expands the ones below it ("billion laughs").
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return { ok: false, line: 1, column: 1, reason: tooManyAliases() };
    }
    throw error;
  }
}

const tooDeep = () => `nested more than ${MAX_NESTING} levels deep (a scenario needs about ten)`;
const tooManyAliases = () => `more than ${MAX_ALIASES} YAML aliases to expand (write the values out)`;

/**
 * The first node nested deeper than MAX_NESTING, or the alias past MAX_ALIASES, walking the syntax
 * tree without recursion (the tree may be deep enough to overflow the stack: that is what we look for).
 */
function findOverrun(root: unknown): { offset: number; reason: string } | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
  let aliases = 0;
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { node, depth } = top;
    if (node === null || typeof node !== "object") continue;
    const offset = (node as { range?: [number, number, number] }).range?.[0] ?? 0;
    if (isAlias(node) && ++aliases > MAX_ALIASES) return { offset, reason: tooManyAliases() };
    if (isPair(node)) {
      stack.push({ node: node.value, depth }, { node: node.key, depth });
      continue;
    }
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_NESTING) return { offset, reason: tooDeep() };
    for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], depth: depth + 1 });
  }
  return undefined;
}
