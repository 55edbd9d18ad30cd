import { describe, expect, it } from "vitest";
import { dtsim, type Outcome, tempFile, VALID_YAML } from "./dtsim.ts";

/** Bad input: exit 2, exactly one line on stderr, no stack trace, nothing on stdout. */
function expectOneLineError(outcome: Outcome): string {
  expect(outcome.status).toBe(2);
  expect(outcome.stdout).toBe("");
  expect(outcome.stderr).not.toContain("    at ");
  const lines = outcome.stderr.split("\n").filter((line) => line !== "");
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

// Each test starts its own processes; running them side by side keeps the file fast.
describe.concurrent("dtsim (no engine needed)", () => {
  it("--help prints usage and exits 0", async () => {
    const outcome = await dtsim(["--help"]);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toContain("USAGE");
    expect(outcome.stdout).toContain("run");
  });

  it("run --help lists the flags", async () => {
    const outcome = await dtsim(["run", "--help"]);
    expect(outcome.status).toBe(0);
    for (const flag of ["--set", "--seed", "--json", "--out"]) expect(outcome.stdout).toContain(flag);
  });

  it("without a subcommand shows help and exits 2", async () => {
    const outcome = await dtsim([]);
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain("USAGE");
  });

  it("a malformed YAML file is one FILE:line:col line", async () => {
    const file = tempFile("bad.yaml", "cluster:\n  workers: [1, 2\nschedule: {}\n");
    const line = expectOneLineError(await dtsim(["run", file]));
    expect(line).toMatch(new RegExp(`^${file.replaceAll(".", "\\.")}:\\d+:\\d+: .+`));
  });

  it("duplicate keys are a syntax error too", async () => {
    const file = tempFile("dup.yaml", "seed: 1\nseed: 2\n");
    expect(expectOneLineError(await dtsim(["run", file]))).toMatch(/dup\.yaml:2:1: Map keys must be unique/);
  });

  it("an unknown field gets a did-you-mean", async () => {
    const file = tempFile("typo.yaml", VALID_YAML.replace("workers: 4", "wrkers: 4"));
    const line = expectOneLineError(await dtsim(["run", file]));
    expect(line).toContain('cluster.wrkers: got 4, expected no such field (did you mean "workers"?)');
  });

  it("reads JSON as well", async () => {
    const file = tempFile(
      "typo.json",
      JSON.stringify({ cluster: { workers: 4, topology: { kind: "rung" } } }),
    );
    expect(expectOneLineError(await dtsim(["run", file]))).toMatch(
      /^cluster\.topology\.kind: got "rung", .*did you mean "ring"/,
    );
  });

  it("a missing file is bad input", async () => {
    expect(expectOneLineError(await dtsim(["run", "no/such/file.yaml"]))).toBe(
      'FILE: got "no/such/file.yaml", expected a readable scenario file (no such file)',
    );
  });

  it("a bad --set is bad input naming --set", async () => {
    const file = tempFile("ok.yaml", VALID_YAML);
    expect(expectOneLineError(await dtsim(["run", file, "--set", "cluster.workers"]))).toMatch(
      /^--set: got "cluster\.workers", expected path=value/,
    );
    expect(expectOneLineError(await dtsim(["run", file, "--set", "cluster.workers.x=1"]))).toMatch(
      /^--set: /,
    );
  });

  it("a --set that produces a bad field is reported like a file's", async () => {
    const file = tempFile("ok.yaml", VALID_YAML);
    expect(
      expectOneLineError(await dtsim(["run", file, "--set", "cluster.network.bandwidth=-1 Gb/s"])),
    ).toMatch(/^cluster\.network\.bandwidth: got "-1 Gb\/s", expected a positive bandwidth/);
  });

  it("a bad --seed is bad input", async () => {
    const file = tempFile("ok.yaml", VALID_YAML);
    expect(expectOneLineError(await dtsim(["run", file, "--seed", "-3"]))).toBe(
      '--seed: got "-3", expected a non-negative integer',
    );
    expect(expectOneLineError(await dtsim(["run", file, "--seed", "x"]))).toBe(
      '--seed: got "x", expected a non-negative integer',
    );
  });

  it("an --out that cannot be a folder is bad input, found before running", async () => {
    const file = tempFile("ok.yaml", VALID_YAML);
    expect(expectOneLineError(await dtsim(["run", file, "--out", file]))).toMatch(
      /^--out: got ".*ok\.yaml", expected a folder dtsim can create \(EEXIST/,
    );
  });

  it("unknown flags and subcommands are one line, exit 2", async () => {
    expect(expectOneLineError(await dtsim(["run", "x.yaml", "--jsn"]))).toMatch(
      /^dtsim run: unrecognized flag: --jsn.*--help/,
    );
    expect(expectOneLineError(await dtsim(["rnu"]))).toMatch(/^dtsim: unknown subcommand "rnu"/);
    expect(expectOneLineError(await dtsim(["run"]))).toMatch(/^dtsim run: missing required argument/);
  });
});
