import { Exit, Schema } from "effect";
import type { InputError } from "../errors.ts";
import { derived } from "../registry.ts";
import { issuesToInputErrors } from "./issues.ts";
import { Problems } from "./resolve/problems.ts";
import { type ResolveOptions, resolveScenario } from "./resolve/scenario.ts";
import { scenarioInput, scenarioParseOptions, scenarioRegistries } from "./schema.ts";
import type { Scenario } from "./types.ts";

export type DecodeOptions = ResolveOptions;

export type DecodeResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly problems: readonly [InputError, ...InputError[]] };

// Compiled once per version of the schema (it changes only when a registry does).
const decoder = derived(scenarioRegistries, () => Schema.decodeUnknownExit(scenarioInput()));

/**
 * Every problem with a raw scenario (as parsed from YAML or JSON), or the decoded scenario. Two
 * rounds: the schema's (shapes, units, ranges, unknown fields), then, only if it passed, the rules
 * that span fields. For a `check` command that lists everything at once.
 */
export function decodeScenarioAll(raw: unknown, options: DecodeOptions = {}): DecodeResult {
  const decoded = decoder()(raw, scenarioParseOptions);
  if (Exit.isFailure(decoded)) {
    const error = decoded.cause.reasons.find((r) => r._tag === "Fail")?.error;
    // The schema fails only with SchemaError; anything else (a defect) is a bug and propagates.
    if (error === undefined)
      throw new Error(`scenario decoding failed unexpectedly: ${String(decoded.cause)}`);
    return failed(issuesToInputErrors(error.issue, raw));
  }
  const problems = new Problems(raw);
  const scenario = resolveScenario(decoded.value, problems, options);
  return problems.list.length === 0 ? { ok: true, scenario } : failed(problems.list);
}

/** Every problem with a raw scenario, in the order found; empty when it decodes. */
export function scenarioProblems(raw: unknown, options: DecodeOptions = {}): InputError[] {
  const result = decodeScenarioAll(raw, options);
  return result.ok ? [] : [...result.problems];
}

/** The decoded scenario; throws the InputError of the first problem found. */
export function decodeScenario(raw: unknown, options: DecodeOptions = {}): Scenario {
  const result = decodeScenarioAll(raw, options);
  if (!result.ok) throw result.problems[0];
  return result.scenario;
}

function failed(problems: InputError[]): DecodeResult {
  const [first, ...rest] = problems;
  // A failed decode with no issue to show would be a bug in issues.ts: refuse to pretend it passed.
  if (first === undefined) throw new Error("scenario decoding failed without a reported problem");
  return { ok: false, problems: [first, ...rest] };
}
