import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkFiles } from "../../cli/commands/check.ts";
import { loadScenarioFile } from "../../cli/load.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";
import { dtsim } from "./dtsim.ts";
import { baseScenarios, type MutatedScenario, mutatedScenario } from "./scenario-mutations.ts";

/**
 * Every real scenario file, broken at random (a field deleted or misspelt, a wrong value, an unknown
 * key, wrong nesting, the text cut short or sprinkled with stray bytes), must get from `dtsim check`
 * either "ok" — some mutations are harmless — or one line per problem naming the field, the value and
 * what was expected: never an internal error, never a stack. The seed is test/setup.ts's.
 */

const bases = baseScenarios();
const dir = mkdtempSync(join(tmpdir(), "dtsim-mutated-"));
let files = 0;

function writeMutation(mutation: MutatedScenario): string {
  const file = join(dir, `scenario-${files++}${mutation.extension}`);
  writeFileSync(file, mutation.content);
  return file;
}

interface CheckOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `dtsim check FILE` in this process: the command's own function, its output captured. */
async function checkInProcess(file: string): Promise<CheckOutcome> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await checkFiles([file], []);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether a refusal is made only of `FILE: path: got value, expected what` and `FILE:line:col: reason` lines. */
function expectCleanRefusal(file: string, outcome: CheckOutcome): void {
  expect(outcome.code).toBe(2);
  expect(outcome.stdout).toBe("");
  expect(outcome.stderr).not.toMatch(/internal error|^\s+at /m);
  const lines = outcome.stderr.split("\n");
  expect(lines.pop()).toBe("");
  expect(lines.length).toBeGreaterThan(0);
  const problem = new RegExp(`^${escapeRegExp(file)}: \\S.*: got .+, expected .+$`);
  const syntax = new RegExp(`^${escapeRegExp(file)}:\\d+:\\d+: \\S.*$`);
  for (const line of lines) expect(line).toSatisfy((l: string) => problem.test(l) || syntax.test(l));
}

/** Whether an accepted file says so in its one line, and decodes the same way twice. */
function expectCleanAcceptance(file: string, outcome: CheckOutcome): void {
  expect(outcome.stderr).toBe("");
  expect(outcome.stdout).toMatch(new RegExp(`^${escapeRegExp(file)}: ok \\(.+\\)\\n$`));
  const decode = () => decodeScenario(loadScenarioFile(file), { defaultName: "mutated" });
  expect(decode()).toEqual(decode());
}

describe("dtsim check on mutated scenario files", () => {
  afterEach(() => vi.restoreAllMocks());

  it("accepts each file or refuses it in clean lines, in process (300 mutations)", {
    timeout: 120_000,
  }, async () => {
    const seen = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(mutatedScenario(bases), async (mutation) => {
        const file = writeMutation(mutation);
        const outcome = await checkInProcess(file);
        if (outcome.code === 0) {
          seen.accepted++;
          expectCleanAcceptance(file, outcome);
          // Deterministic: the same file checks the same way again.
          expect(await checkInProcess(file)).toEqual(outcome);
        } else {
          seen.refused++;
          expectCleanRefusal(file, outcome);
        }
        if (mutation.unknownKey !== undefined) {
          // A key no scenario has is always refused, and named.
          expect(outcome.code).toBe(2);
          expect(outcome.stderr).toContain(mutation.unknownKey);
        }
      }),
      { numRuns: 300 },
    );
    // Both sides were exercised: mutations are neither all harmless nor all fatal.
    expect(seen.accepted).toBeGreaterThan(10);
    expect(seen.refused).toBeGreaterThan(100);
  });

  it("gives the same answer and exit code from node bin/dtsim.js check (5 mutations)", {
    timeout: 120_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(mutatedScenario(bases), async (mutation) => {
        const file = writeMutation(mutation);
        const inProcess = await checkInProcess(file);
        const spawned = await dtsim(["check", file]);
        expect(spawned.status).toBe(inProcess.code);
        expect([0, 2]).toContain(spawned.status);
        expect(spawned.stderr).toBe(inProcess.stderr);
        expect(spawned.stdout).toBe(inProcess.stdout);
        if (spawned.status === 2) expectCleanRefusal(file, { ...spawned, code: 2 });
      }),
      { numRuns: 5 },
    );
  });
});
