import { SchemaAST as AST } from "effect";
import { scheduleInput } from "./input/schedule.ts";
import { problemInput } from "./registry/problem-kinds.ts";
import { topologyInput } from "./registry/topology-kinds.ts";
import { scenarioInput } from "./schema.ts";

/**
 * The scenario format described from the schema itself: every field's path, type, default and
 * description, read from the annotations that fields.ts puts on each one. `dtsim schedules` and the
 * generated docs/scenario-reference.md are built from this, so they cannot drift from what the
 * decoder accepts.
 */

export interface FieldDoc {
  /** Dotted, from the root given to `fieldDocs`; a list's elements are `[]`: `devices[].speed`. */
  readonly path: string;
  /** In words: "time (s) > 0", "integer ≥ 1", "alpha-beta | flow", "object by kind: ring | …". */
  readonly type: string;
  /** Whether a file must give it. */
  readonly required: boolean;
  /** What it is when left out: a value as written in a file, or words. Absent: nothing (or "none"). */
  readonly fallback?: { readonly written: string } | { readonly words: string };
  readonly description: string;
  /** For a field chosen by `kind` (a topology, a schedule, a problem): the kinds it accepts. */
  readonly kinds?: readonly string[];
}

export interface KindDoc {
  readonly kind: string;
  /** One line: the `kind` literal's description. */
  readonly summary: string;
  /** The variant's own description. */
  readonly description: string;
  /** Its fields other than `kind`, paths relative to the variant. */
  readonly fields: readonly FieldDoc[];
}

/** Every field of a struct schema, nested structs and lists of structs flattened in, in file order. */
export function fieldDocs(schema: { readonly ast: AST.AST }, prefix = ""): FieldDoc[] {
  const out: FieldDoc[] = [];
  if (schema.ast._tag === "Objects") walkObject(schema.ast, prefix, out);
  return out;
}

/** The members of a union told apart by `kind`, with their fields. */
export function kindDocs(schema: { readonly ast: AST.AST }): KindDoc[] {
  return flatten(schema.ast).flatMap((member): KindDoc[] => {
    const kind = kindOf(member);
    if (member._tag !== "Objects" || kind === undefined) return [];
    const kindField = member.propertySignatures.find((p) => p.name === "kind")!;
    return [
      {
        kind,
        summary: annotations(kindField.type).description ?? "",
        description: annotations(member).description ?? "",
        fields: fieldDocs({ ast: member }),
      },
    ];
  });
}

/** The scenario's own fields (cluster, schedule, problem and stop included). */
export const scenarioFields = (): FieldDoc[] => fieldDocs(scenarioInput());
/** Every `schedule.kind`, with its parameters. */
export const scheduleKinds = (): KindDoc[] => kindDocs(scheduleInput());
/** Every `problem.kind`. */
export const problemKinds = (): KindDoc[] => kindDocs(problemInput());
/** Every `cluster.topology.kind` (the physical `cluster.network.topology` takes the same, bar time-varying). */
export const topologyKinds = (): KindDoc[] => kindDocs(topologyInput());

function walkObject(ast: AST.Objects, prefix: string, out: FieldDoc[]): void {
  const encoded = AST.toEncoded(ast);
  for (const property of ast.propertySignatures) {
    const name = String(property.name);
    const type = property.type;
    // A variant's discriminant is documented by its section, not as a field.
    if (name === "kind" && type._tag === "Literal") continue;
    const path = `${prefix}${name}`;
    const written =
      encoded._tag === "Objects"
        ? encoded.propertySignatures.find((p) => p.name === property.name)
        : undefined;
    const notes = annotations(type);
    const fallback = fallbackOf(notes);
    const kinds = discriminants(type);
    out.push({
      path,
      type: typeName(type),
      required: written === undefined || !AST.isOptional(written.type),
      ...(fallback === undefined ? {} : { fallback }),
      description: notes.description ?? "",
      ...(kinds === undefined ? {} : { kinds }),
    });
    if (type._tag === "Objects") walkObject(type, `${path}.`, out);
    const element = type._tag === "Arrays" && type.elements.length === 0 ? type.rest[0] : undefined;
    if (element?._tag === "Objects") walkObject(element, `${path}[].`, out);
  }
}

interface Notes {
  readonly description?: string;
  readonly expected?: string;
  readonly docType?: string;
  readonly writtenDefault?: unknown;
  readonly defaultWords?: string;
}

function annotations(ast: AST.AST): Notes {
  const found = AST.resolve(ast) ?? {};
  const text = (key: string) => (typeof found[key] === "string" ? (found[key] as string) : undefined);
  return {
    ...pick("description", text("description")),
    ...pick("expected", text("expected")),
    ...pick("docType", text("docType")),
    ...pick("defaultWords", text("defaultWords")),
    ...("writtenDefault" in found ? { writtenDefault: found.writtenDefault } : {}),
  };
}

function pick<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function fallbackOf(notes: Notes): FieldDoc["fallback"] {
  if (notes.defaultWords !== undefined) return { words: notes.defaultWords };
  if (!("writtenDefault" in notes)) return undefined;
  const value = notes.writtenDefault;
  // An empty object or list as a default says "each field below has its own", or "none": no value.
  if (typeof value === "object" && value !== null && Object.keys(value).length === 0) return undefined;
  return { written: formatValue(value) };
}

/** A default as it would be written in a YAML file: `10 Gb/s`, `[0.5, 0.75]`, `{ kind: ring }`. */
export function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([key, inner]) => `${key}: ${formatValue(inner)}`);
    return `{ ${entries.join(", ")} }`;
  }
  return String(value);
}

function typeName(ast: AST.AST): string {
  const notes = annotations(ast);
  if (notes.docType !== undefined) return notes.docType;
  const kinds = discriminants(ast);
  if (kinds !== undefined) return `object by kind: ${kinds.join(" | ")}`;
  const members = flatten(ast);
  if (members.length > 1 && members.every((m) => m._tag === "Literal")) {
    return members.map((m) => String((m as AST.Literal).literal)).join(" | ");
  }
  switch (ast._tag) {
    case "Objects":
      return "object";
    case "Arrays":
      if (ast.elements.length === 0 && ast.rest[0] !== undefined) {
        const element = ast.rest[0];
        return element._tag === "Objects" ? "list of objects" : `list of ${typeName(element)}`;
      }
      break;
    case "String":
      return "string";
    default:
      break;
  }
  if (notes.expected !== undefined) return notes.expected.replace(/^(an? |one of )/, "");
  return ast._tag === "Number" ? "number" : ast._tag.toLowerCase();
}

function flatten(ast: AST.AST): AST.AST[] {
  return ast._tag === "Union" ? ast.types.flatMap(flatten) : [ast];
}

function kindOf(ast: AST.AST): string | undefined {
  if (ast._tag !== "Objects") return undefined;
  const kind = ast.propertySignatures.find((p) => p.name === "kind")?.type;
  return kind?._tag === "Literal" ? String(kind.literal) : undefined;
}

/** The `kind` of every member, for a union of structs told apart by it. */
function discriminants(ast: AST.AST): string[] | undefined {
  if (ast._tag !== "Union") return undefined;
  const kinds = flatten(ast).map(kindOf);
  return kinds.every((k) => k !== undefined) ? kinds : undefined;
}
