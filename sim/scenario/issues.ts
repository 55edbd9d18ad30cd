import { SchemaAST as AST, type SchemaAST, type SchemaIssue } from "effect";
import { InputError } from "../errors.ts";
import { formatPath, valueAt } from "./paths.ts";
import { didYouMean } from "./suggest.ts";

/**
 * Turns Effect's tree of schema issues into flat InputErrors, one per problem: the dotted path, the
 * value found there in the raw input, and what the schema expected, in the words of the field's
 * `expected` annotation (fields.ts) when it has one. Unknown fields and unknown kinds get a
 * "did you mean" when a known one is close.
 */
export function issuesToInputErrors(issue: SchemaIssue.Issue, raw: unknown): InputError[] {
  const out: InputError[] = [];
  walk(issue, { path: [], expected: undefined, ast: undefined, container: undefined }, raw, out);
  return out;
}

interface Where {
  readonly path: ReadonlyArray<PropertyKey>;
  /** The nearest `expected` annotation since the last field boundary: it speaks for every leaf below. */
  readonly expected: string | undefined;
  /** The schema of the field being looked at, to describe a leaf that carries no annotation. */
  readonly ast: SchemaAST.AST | undefined;
  /** The struct or list whose issues are being walked, to find the schema of a field below it. */
  readonly container: SchemaAST.AST | undefined;
}

function walk(issue: SchemaIssue.Issue, where: Where, raw: unknown, out: InputError[]): void {
  const emit = (path: ReadonlyArray<PropertyKey>, expected: string) =>
    out.push(new InputError(formatPath(path), valueAt(raw, path), expected));
  switch (issue._tag) {
    case "Pointer": {
      // A field or element boundary: annotations above it describe the container, not this field.
      const field = fieldSchema(where.container, issue.path);
      const expected = field === undefined ? undefined : expectedOf(AST.resolve(field));
      const path = [...where.path, ...issue.path];
      walk(issue.issue, { path, expected, ast: field, container: undefined }, raw, out);
      return;
    }
    case "Composite":
    case "Encoding":
      for (const inner of issue._tag === "Composite" ? issue.issues : [issue.issue]) {
        walk(inner, { ...enter(where, issue.ast), container: issue.ast }, raw, out);
      }
      return;
    case "Filter":
      walk(
        issue.issue,
        { ...where, expected: where.expected ?? expectedOf(issue.filter.annotations) },
        raw,
        out,
      );
      return;
    case "AnyOf":
      anyOf(issue, where, raw, out, emit);
      return;
    case "MissingKey":
      emit(where.path, where.expected ?? describe(where.ast) ?? "a value (this field is required)");
      return;
    case "UnexpectedKey":
      emit(where.path, unexpectedKey(where.path, issue.ast));
      return;
    case "InvalidType":
    case "InvalidValue":
    case "Forbidden":
    case "OneOf": {
      const ast = "ast" in issue ? issue.ast : where.ast;
      const message =
        issue._tag === "InvalidValue" || issue._tag === "Forbidden" ? issue.annotations?.message : undefined;
      emit(
        where.path,
        where.expected ?? (typeof message === "string" ? message : describe(ast)) ?? "something else",
      );
      return;
    }
  }
}

function enter(where: Where, ast: SchemaAST.AST): Where {
  return { ...where, expected: where.expected ?? expectedOf(AST.resolve(ast)), ast: where.ast ?? ast };
}

/** The schema of `container`'s field or element at `path` (one step), if it has one. */
function fieldSchema(
  container: SchemaAST.AST | undefined,
  path: ReadonlyArray<PropertyKey>,
): SchemaAST.AST | undefined {
  const [key] = path;
  if (container === undefined || path.length !== 1 || key === undefined) return undefined;
  if (container._tag === "Objects") return container.propertySignatures.find((p) => p.name === key)?.type;
  if (container._tag === "Arrays" && typeof key === "number")
    return container.elements[key] ?? container.rest[0];
  return undefined;
}

function expectedOf(annotations: { readonly [key: string]: unknown } | undefined): string | undefined {
  const expected = annotations?.expected;
  return typeof expected === "string" ? expected : undefined;
}

/**
 * No member of a union accepted the value. For a union of literals, say which words are allowed. For
 * a union of structs told apart by `kind`, Effect only tries the members whose kind matches: if one
 * matched, report its problems; if none did, the kind itself is wrong.
 */
function anyOf(
  issue: SchemaIssue.AnyOf,
  where: Where,
  raw: unknown,
  out: InputError[],
  emit: (path: ReadonlyArray<PropertyKey>, expected: string) => void,
): void {
  const members = flatten(issue.ast);
  const value = valueAt(raw, where.path);
  const literals = members.every((m) => m._tag === "Literal")
    ? members.map((m) => String(m.literal))
    : undefined;
  if (literals !== undefined) {
    const suggestion = typeof value === "string" ? didYouMean(value, literals) : "";
    emit(where.path, `${where.expected ?? `one of ${literals.join(" | ")}`}${suggestion}`);
    return;
  }
  if (where.expected !== undefined) {
    emit(where.path, where.expected);
    return;
  }
  const kinds = discriminants(members);
  const [first] = issue.issues;
  if (first !== undefined) {
    walk(first, { ...where, ast: undefined }, raw, out);
    return;
  }
  if (kinds === undefined) {
    emit(where.path, describe(issue.ast) ?? "something else");
    return;
  }
  if (!isRecord(value)) {
    emit(where.path, `an object with kind: ${kinds.join(" | ")}`);
    return;
  }
  const kind = value.kind;
  const suggestion = typeof kind === "string" ? didYouMean(kind, kinds) : "";
  emit([...where.path, "kind"], `one of ${kinds.join(" | ")}${suggestion}`);
}

/** The members of a union, nested unions spliced in. */
function flatten(ast: SchemaAST.AST): SchemaAST.AST[] {
  return ast._tag === "Union" ? ast.types.flatMap(flatten) : [ast];
}

/** The `kind` literal of every member, when every member is a struct with one. */
function discriminants(members: ReadonlyArray<SchemaAST.AST>): string[] | undefined {
  const kinds: string[] = [];
  for (const member of members) {
    if (member._tag !== "Objects") return undefined;
    const kind = member.propertySignatures.find((p) => p.name === "kind")?.type;
    if (kind?._tag !== "Literal") return undefined;
    kinds.push(String(kind.literal));
  }
  return kinds;
}

function unexpectedKey(path: ReadonlyArray<PropertyKey>, ast: SchemaAST.AST): string {
  const key = String(path.at(-1));
  const known = ast._tag === "Objects" ? ast.propertySignatures.map((p) => String(p.name)) : [];
  const suggestion = didYouMean(key, known);
  if (suggestion !== "") return `no such field${suggestion}`;
  return known.length > 0 ? `no such field (known here: ${known.join(", ")})` : "no such field";
}

/** A generic description of a schema node, for leaves without an `expected` annotation. */
function describe(ast: SchemaAST.AST | undefined): string | undefined {
  if (ast === undefined) return undefined;
  const annotated = expectedOf(AST.resolve(ast));
  if (annotated !== undefined) return annotated;
  switch (ast._tag) {
    case "Objects":
      return ast.propertySignatures.length > 0
        ? `an object with fields ${ast.propertySignatures.map((p) => String(p.name)).join(", ")}`
        : "an object";
    case "Arrays":
      return ast.elements.length > 0 && ast.rest.length === 0 ? `a list of ${ast.elements.length}` : "a list";
    case "String":
      return "a string";
    case "Number":
      return "a number";
    case "Boolean":
      return "true or false";
    case "Literal":
      return JSON.stringify(ast.literal);
    case "Union": {
      const members = flatten(ast);
      const kinds = discriminants(members);
      if (kinds !== undefined) return `an object with kind: ${kinds.join(" | ")}`;
      return members.map((m) => describe(m) ?? "something else").join(" or ");
    }
    default:
      return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
