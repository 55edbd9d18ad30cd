import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../cli/exit-codes.ts";
import { MAX_LINE_CHARS, reportError } from "../../cli/user-errors.ts";
import { MAX_VALUE_CHARS } from "../../sim/errors.ts";
import { MAX_ALIASES, MAX_NESTING } from "../../sim/scenario/yaml-limits.ts";
import { dtsim, tempFile, VALID_YAML } from "./dtsim.ts";
import { checkInProcess } from "./in-process.ts";

/**
 * Issue #15's findings about hostile input files, one test each: every one used to end in an internal
 * error (exit 70), a V8 abort or a hang; each must be one clear line and exit 2.
 */

const brackets = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

/** Exit 2 and exactly one line, bounded, with no internal error in it. */
function expectOneLine(outcome: { code?: number; status?: number | null; stderr: string }, pattern: RegExp) {
  expect(outcome.code ?? outcome.status).toBe(ExitCode.badInput);
  expect(outcome.stderr).not.toMatch(/internal error|^\s+at /m);
  expect(outcome.stderr.split("\n")).toHaveLength(2);
  expect(outcome.stderr.length).toBeLessThanOrEqual(MAX_LINE_CHARS + 1);
  expect(outcome.stderr).toMatch(pattern);
}

describe("hostile scenario files", () => {
  it("refuses YAML nested about 800 levels deep (1.6 KB) with its position", async () => {
    const file = tempFile("deep.yaml", `${VALID_YAML}name: ${brackets(800)}\n`);
    expectOneLine(await checkInProcess(file), /:\d+:\d+: nested more than 64 levels deep/);
  });

  it("refuses JSON nested about 800 levels deep", async () => {
    const file = tempFile("deep.json", `{"cluster": {"workers": 4}, "name": ${brackets(800)}}`);
    expectOneLine(await checkInProcess(file), /deep.json:\d+:\d+: nested more than 64 levels deep/);
  });

  it("refuses nesting just past the budget, and accepts it just within (as a wrong value)", async () => {
    const past = await checkInProcess(tempFile("past.yaml", `${VALID_YAML}name: ${brackets(MAX_NESTING)}\n`));
    expectOneLine(past, /nested more than 64 levels deep/);
    const within = await checkInProcess(
      tempFile("in.yaml", `${VALID_YAML}name: ${brackets(MAX_NESTING - 1)}\n`),
    );
    expect(within.stderr).toMatch(/: name: got \[\[\[.*, expected /);
  });

  it("refuses nesting so deep the parser itself would overflow", async () => {
    const file = tempFile("deeper.yaml", `name: ${brackets(50_000)}\n`);
    expectOneLine(await checkInProcess(file), /:1:1: nested more than 64 levels deep/);
  });

  it("refuses a --set value nested 800 levels deep", async () => {
    const file = tempFile("ok.yaml", VALID_YAML);
    const outcome = await checkInProcess(file, [`name=${brackets(800)}`]);
    expectOneLine(
      outcome,
      /^--set: got "name=\[\[\[.*\.\.\." \(1605 characters\), expected a value written as in YAML \(nested more than 64/,
    );
  });

  it("refuses a YAML file with about a hundred aliases, and one whose aliases nest", async () => {
    const many = Array.from({ length: MAX_ALIASES + 1 }, () => "  - *a").join("\n");
    const file = tempFile("aliases.yaml", `${VALID_YAML}x: &a 1\ny:\n${many}\n`);
    expectOneLine(await checkInProcess(file), /aliases.yaml:\d+:\d+: more than 100 YAML aliases to expand/);
    // Few aliases in the text, each doubling the one before: the parser's own count trips.
    const laughs = [
      "l0: &l0 [1, 2]",
      ...Array.from({ length: 20 }, (_, i) => `l${i + 1}: &l${i + 1} [*l${i}, *l${i}]`),
    ];
    const nested = tempFile("laughs.yaml", `${laughs.join("\n")}\n`);
    expectOneLine(await checkInProcess(nested), /laughs.yaml:\d+:\d+: more than 100 YAML aliases to expand/);
  });

  it("refuses a device such as /dev/zero instead of reading it without end", async () => {
    expectOneLine(
      await checkInProcess("/dev/zero"),
      /^FILE: got "\/dev\/zero", expected a readable scenario file \(not a regular file: it is a device\)/,
    );
  });

  it("refuses a FIFO with no writer instead of blocking on it", async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), "dtsim-fifo-")), "scenario.yaml");
    execFileSync("mkfifo", [fifo]);
    // Spawned, with a deadline: before the fix the open blocked this very thread forever.
    const outcome = await Promise.race([
      dtsim(["check", fifo]),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20_000).unref()),
    ]);
    expect(outcome).toBeDefined();
    expectOneLine(outcome!, /expected a readable scenario file \(not a regular file: it is a FIFO\)/);
  });

  it("refuses a file over the size cap, after reading no more than the cap", async () => {
    const file = tempFile("huge.yaml", "");
    writeFileSync(file, `${VALID_YAML}# ${"x".repeat(17 * 1024 * 1024)}\n`);
    expectOneLine(await checkInProcess(file), /expected a readable scenario file \(larger than 16 MiB/);
  });
});

describe("bounded error lines", () => {
  it("cuts a 2-million-digit size to a short value", async () => {
    const file = tempFile("big.yaml", `${VALID_YAML.replace("1 MB", `"${"9".repeat(2_000_000)} GB"`)}`);
    const outcome = await checkInProcess(file);
    expectOneLine(
      outcome,
      /schedule.bytes: got "9{76}\.\.\." \(2000003 characters\), expected a non-negative size/,
    );
  });

  it("renders nested values as JSON, never [object Object]", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(reportError({ nested: { deeper: [1, { x: 2 }] } }, false).text).toContain(
      '{"nested":{"deeper":[1,{"x":2}]}}',
    );
    expect(reportError(cyclic, false).text).toContain("internal error: an object (");
    const long = reportError(new Error(`${"y".repeat(5000)}\nsecond`), false).text;
    // The message cut to MAX_LINE_CHARS, within "internal error: … (DTSIM_DEBUG=1 shows the stack)".
    expect(long.split("\n")[0]!.length).toBeLessThan(MAX_LINE_CHARS + 60);
    expect(MAX_VALUE_CHARS).toBeLessThan(MAX_LINE_CHARS);
  });
});

describe("exit codes that say what happened", () => {
  it("reports a worker killed during start-up as a failed run (1), not a machine that lacks something (3)", () => {
    const error = Object.assign(new Error("worker 1's process was killed by SIGKILL before it was ready"), {
      name: "WorkerStartError",
    });
    expect(reportError(error, false).code).toBe(ExitCode.runFailed);
    const missing = Object.assign(new Error("worker 1 could not start: no WebGPU adapter"), {
      name: "WorkerStartError",
    });
    expect(reportError(missing, false).code).toBe(ExitCode.environment);
  });
});
