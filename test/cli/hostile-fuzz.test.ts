import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../cli/load.ts";
import { MAX_LINE_CHARS, reportError } from "../../cli/user-errors.ts";
import { checkScenario } from "../../sim/check.ts";
import type { RunResult } from "../../sim/result.ts";
import { buildRun, finishRun, reportingLimits } from "../../sim/run.ts";
import { decodeScenarioAll } from "../../sim/scenario/decode.ts";
import { hostileScenario } from "./hostile-scenarios.ts";
import { type BaseScenario, baseScenarios, type MutatedScenario } from "./scenario-mutations.ts";

/**
 * The hostile fuzz test (issue #15): thousands of hostile scenario files (hostile-scenarios.ts), each
 * read, decoded, built and run in this process as `dtsim check` and `dtsim run` do it (the CLI's own
 * output for such files is checked by mutated-scenarios.test.ts and hostile-input.test.ts). The rule: every
 * case ends either in exit 2 with one bounded line per problem, or in a run with a finite result (no
 * NaN or Infinity anywhere in it). Never an internal error, a crash or a hang.
 *
 * 10⁴ cases in CI; DTSIM_FUZZ_RUNS=100000 for the bigger run on demand. Each run is held to a budget
 * of simulated events (EVENT_BUDGET) and the bases are shrunk to at most 16 workers where they still
 * check, so that a case costs milliseconds; the seed is test/setup.ts's (DTSIM_FUZZ_SEED overrides it).
 */

const RUNS = Number(process.env.DTSIM_FUZZ_RUNS ?? 10_000);
const EVENT_BUDGET = 1_000;
const MAX_WORKERS = 16;

const dir = mkdtempSync(join(tmpdir(), "dtsim-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bases with at most MAX_WORKERS workers, where the smaller cluster still checks. */
function smallBases(): BaseScenario[] {
  return baseScenarios().map((base) => {
    const cluster = base.tree.cluster as Record<string, unknown> | undefined;
    const workers = cluster?.workers;
    if (typeof workers !== "number" || workers <= MAX_WORKERS) return base;
    const tree = { ...base.tree, cluster: { ...cluster, workers: MAX_WORKERS } } as BaseScenario["tree"];
    return checkScenario(tree, { defaultName: "base" }).ok ? { ...base, tree } : base;
  });
}

let files = 0;
function write(mutation: MutatedScenario): string {
  const file = join(dir, `case-${files++}${mutation.extension}`);
  writeFileSync(file, mutation.content);
  return file;
}

/** Every number in `value` (objects, arrays, typed arrays) that is not finite, by path. */
function nonFinite(value: unknown, path = "result"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const array = value as unknown as ArrayLike<number>;
    for (let i = 0; i < array.length; i++)
      if (!Number.isFinite(array[i]!)) return [`${path}[${i}] = ${array[i]}`];
    return [];
  }
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) => nonFinite(v, `${path}.${key}`));
}

/** One line, bounded, that is neither an internal error nor a stack frame. */
function expectCleanLine(line: string): void {
  expect(line).not.toMatch(/internal error|^\s+at |Maximum call stack|\[object Object\]/);
  expect(line.length).toBeGreaterThan(0);
  expect(line.length).toBeLessThanOrEqual(MAX_LINE_CHARS + 200);
}

/** What became of a case: refused (exit 2) with these lines, or run to this result. */
type CaseOutcome = { readonly refused: readonly string[] } | { readonly result: RunResult };

/**
 * `dtsim check FILE` then `dtsim run FILE` in one pass, as their code does it (read, decode, build,
 * run), with the run held to EVENT_BUDGET events and built once rather than once for each command. An
 * error either is the user's (its line, as the CLI prints it) or fails the test.
 */
function checkAndRun(file: string): CaseOutcome {
  const refusal = (error: unknown): CaseOutcome => {
    const report = reportError(error, false);
    expect(report.text).not.toMatch(/^internal error/);
    expect(report.code).toBe(2);
    return { refused: report.text.trimEnd().split("\n") };
  };
  let raw: unknown;
  try {
    raw = loadScenarioFile(file);
  } catch (error) {
    return refusal(error);
  }
  const decoded = decodeScenarioAll(raw, { defaultName: "case" });
  if (!decoded.ok) return { refused: decoded.problems.map((problem) => `${file}: ${problem.message}`) };
  const { scenario } = decoded;
  const events = Math.min(scenario.stop.events ?? EVENT_BUDGET, EVENT_BUDGET);
  try {
    const built = buildRun({ ...scenario, stop: { ...scenario.stop, events } });
    const reason = reportingLimits(() => built.sim.run({ until: built.horizon, maxEvents: events }));
    return { result: finishRun(built, reason, 0) };
  } catch (error) {
    return refusal(error);
  }
}

describe("hostile scenario files", () => {
  it(`end in exit 2 with bounded lines, or in a run with a finite result (${RUNS} cases)`, {
    timeout: Math.max(120_000, RUNS * 50),
  }, async () => {
    const seen = { refused: 0, ran: 0 };
    const bases = smallBases();
    await fc.assert(
      fc.asyncProperty(hostileScenario(bases), async (mutation) => {
        const file = write(mutation);
        const outcome = checkAndRun(file);
        if ("refused" in outcome) {
          seen.refused++;
          expect(outcome.refused.length).toBeGreaterThan(0);
          for (const line of outcome.refused) expectCleanLine(line);
        } else {
          seen.ran++;
          // A diverged training run may carry NaN in its series (that is how it shows); nothing else may.
          const { result } = outcome;
          expect(
            nonFinite(result.stopReason === "diverged" ? { ...result, series: undefined } : result),
          ).toEqual([]);
        }
        rmSync(file, { force: true });
      }),
      {
        numRuns: RUNS,
        ...(process.env.DTSIM_FUZZ_SEED === undefined ? {} : { seed: Number(process.env.DTSIM_FUZZ_SEED) }),
      },
    );
    // Both sides exercised: the generator is neither all garbage nor all harmless.
    expect(seen.refused).toBeGreaterThan(RUNS / 10);
    expect(seen.ran).toBeGreaterThan(RUNS / 10);
  });
});
