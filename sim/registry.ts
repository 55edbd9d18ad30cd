import { Schema } from "effect";

/**
 * Extension points as registries (DESIGN.md "Extension points are registries"; SimGrid's
 * `SIMGRID_REGISTER_*` and `ModuleGroup` are the model). An extension point — topologies, problems,
 * network models, physical layouts, presets, schedules — is a `Registry` of self-describing entries,
 * each written in its own file. What the rest of dtsim knows of the kinds (the scenario schema's
 * unions, listing commands, the generated reference, tests' kind lists) is derived from the registry,
 * so adding a kind is one new file plus one line in the registry's list (or a call to `add`).
 *
 * API:
 * - `RegistryEntry`: what every entry has: `kind` (its name in a file), `summary` (one line, shown in
 *   listings and as the `kind` literal's description), optional `description` (the variant's own) and
 *   `fields` (its parameters besides the discriminant, as an Effect Schema struct's fields, built with
 *   sim/scenario/fields.ts so they carry defaults, units and documentation). Registries add their own
 *   members (how the entry resolves derived constants, how it is built).
 * - `new Registry(what, entries)`: `what` names the point in messages ("topology"). Then
 *   `entries()` and `kinds()` in registration order, `find(kind)` (undefined when absent), `get(kind)`
 *   (a RegistryError naming every registered kind when absent), `add(entry)` (a RegistryError for a
 *   kind already there) and `version` (bumped by `add`; see `derived`). Entries need only `kind`: a
 *   registry of presets holds plain records; one behind a scenario field by kind holds
 *   `RegistryEntry`s.
 * - `inputOf(entry, tag?)`: the entry's struct schema, `{ [tag]: Literal(kind), ...fields }`, with its
 *   summary and description as annotations (what sim/scenario/reference.ts reads back).
 * - `unionOf(entries, description, tag?)`: one flat union of the entries' structs, told apart by `tag`
 *   ("kind" unless said), for a scenario field chosen by kind; typed `KindUnion` (values `OfKind`: the
 *   discriminant is all the type system knows; each entry types its own fields, e.g. with a
 *   `defineX<const F>` helper as sim/scenario/registry/topology-entry.ts does).
 * - `kindsOf(entries)`: their names, in registry order.
 * - `fieldNamesOf(entry, tag?)`: the fields a hand-written spec of this kind may have (for run-time
 *   checks of specs that did not come through the schema).
 * - `derived(registries, build)`: a memoised value rebuilt when any of `registries` has had an entry
 *   added since it was built: the scenario schema is one, so an entry added at run time (a plug-in, a
 *   test) is decoded, checked and documented like a built-in one.
 *
 * Wiring a new registry behind a scenario field: derive the field's schema from it with `derived` and
 * list the registry in `scenarioRegistries` (sim/scenario/schema.ts), so that the schema and its
 * decoder are rebuilt when it changes. An entry whose fields depend on another registry (the cable
 * graph takes every topology) declares `fields` as a getter, read each time the schema is rebuilt.
 */

export interface RegistryEntry {
  readonly kind: string;
  /** One line: what a listing shows, and the description of the `kind` literal in the reference. */
  readonly summary: string;
  /** The variant as a whole, when it needs more than its summary. */
  readonly description?: string;
  /** Parameters besides the discriminant, with their documentation as annotations. */
  readonly fields: Schema.Struct.Fields;
}

/**
 * A kind looked up but not registered, or registered twice: a bug or a plug-in's mistake, never a
 * user's input (the scenario schema refuses an unknown kind before anything looks it up).
 */
export class RegistryError extends Error {
  override readonly name = "RegistryError";
}

export class Registry<E extends { readonly kind: string }> {
  /** Bumped by every `add`: what `derived` values compare against. */
  version = 0;
  /** Names the extension point in messages: "topology", "problem", "device preset". */
  readonly what: string;
  private readonly list: E[] = [];
  private readonly byKind = new Map<string, E>();

  constructor(what: string, entries: ReadonlyArray<E>) {
    this.what = what;
    for (const entry of entries) this.add(entry);
    this.version = 0;
  }

  /** Registers `entry` after the others. A kind already registered is a programming error. */
  add(entry: E): void {
    if (this.byKind.has(entry.kind)) {
      throw new RegistryError(`a ${this.what} named "${entry.kind}" is already registered`);
    }
    this.list.push(entry);
    this.byKind.set(entry.kind, entry);
    this.version++;
  }

  entries(): ReadonlyArray<E> {
    return this.list;
  }

  kinds(): string[] {
    return kindsOf(this.list);
  }

  find(kind: unknown): E | undefined {
    return typeof kind === "string" ? this.byKind.get(kind) : undefined;
  }

  /** The entry named `kind`; anything else is an RegistryError naming every registered kind. */
  get(kind: unknown): E {
    const entry = this.find(kind);
    if (entry === undefined) {
      const known = this.kinds()
        .map((k) => `"${k}"`)
        .join(", ");
      throw new RegistryError(`no ${this.what} named ${JSON.stringify(kind)} (registered: ${known})`);
    }
    return entry;
  }
}

export function kindsOf(entries: ReadonlyArray<{ readonly kind: string }>): string[] {
  return entries.map((e) => e.kind);
}

/** The struct a file writes for `entry`: the discriminant literal, then the entry's own fields. */
export function inputOf(entry: RegistryEntry, tag = "kind") {
  const struct = Schema.Struct({
    [tag]: Schema.Literal(entry.kind).annotate({ description: entry.summary }),
    ...entry.fields,
  });
  return entry.description === undefined ? struct : struct.annotate({ description: entry.description });
}

/**
 * One flat union of the entries' structs. Flat rather than a union of unions, so that a mismatch
 * reports the member whose kind matched. Typed loosely: what is known of a registered kind statically
 * is its discriminant; its entry knows the rest.
 */
export function unionOf<Tag extends string = "kind">(
  entries: ReadonlyArray<RegistryEntry>,
  description: string,
  tag: Tag = "kind" as Tag,
): KindUnion<Tag> {
  const members = entries.map((e) => inputOf(e, tag));
  return Schema.Union(members).annotate({ description }) as unknown as KindUnion<Tag>;
}

/** A value of some registered kind: its discriminant, and fields only its entry knows. */
export type OfKind<Tag extends string = "kind"> = { readonly [K in Tag]: string } & {
  readonly [field: string]: unknown;
};

/** The schema of a field chosen by kind, as far as the type system can follow a registry. */
export type KindUnion<Tag extends string = "kind"> = Schema.Codec<OfKind<Tag>, OfKind<Tag>>;

export function fieldNamesOf(entry: RegistryEntry, tag = "kind"): string[] {
  return [tag, ...Object.keys(entry.fields)];
}

/** `build()`, memoised until one of `registries` changes. */
export function derived<T>(registries: ReadonlyArray<{ readonly version: number }>, build: () => T): () => T {
  let seen: number[] | undefined;
  let value: T;
  return () => {
    const versions = registries.map((r) => r.version);
    if (seen === undefined || versions.some((v, i) => v !== seen![i])) {
      value = build();
      seen = versions;
    }
    return value;
  };
}

/** Where a path in the scenario is: its keys and indices, `["schedule", "group", 2]`. */
export type EntryPath = ReadonlyArray<string | number>;

/**
 * What an entry's resolution may use and report: the cluster's worker count, where the entry sits in
 * the scenario, and a sink for the problems found across its fields (each reported with the value as
 * written, by the scenario layer's `Problems`).
 */
export interface ResolveContext {
  readonly workers: number;
  readonly path: EntryPath;
  readonly problems: { add(path: EntryPath, expected: string): void };
  /** The scenario's stop.time, when it gives one (defaults that scale with the run's length). */
  readonly horizon: number | undefined;
}
