import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../cli/exit-codes.ts";
import { runFile } from "../../cli/run-file.ts";
import { Simulation } from "../../sim/engine/index.ts";
import { InputError, ModelLimitError } from "../../sim/errors.ts";
import { reportingLimits } from "../../sim/run.ts";
import { tempFile } from "./dtsim.ts";
import { captured, checkInProcess } from "./in-process.ts";

/**
 * Issue #15: inputs that `dtsim check` accepted and `dtsim run` then failed on with an internal error
 * (exit 70), printed Infinity for, or spun on forever. Each is now refused by check and run alike
 * (exit 2, one line naming the field), or, where only running can tell, by run with exit 2.
 */

const runInProcess = (file: string, extra: { out?: string; set?: string[] } = {}) =>
  captured(() => runFile({ file, set: extra.set ?? [], seed: undefined, json: true, out: extra.out }));

function expectRefused(outcome: { code: number; stdout: string; stderr: string }, line: RegExp): void {
  expect(outcome.code).toBe(ExitCode.badInput);
  expect(outcome.stdout).toBe("");
  expect(outcome.stderr).not.toMatch(/internal error/);
  expect(outcome.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(outcome.stderr).toMatch(line);
}

const LEAST_SQUARES = (heterogeneity: number) => `
cluster: { workers: 2 }
schedule: { kind: allreduce-sgd }
problem: { kind: least-squares, dimension: 10, heterogeneity: ${heterogeneity} }
stop: { time: 10 ms }
`;

const GOSSIP = (computeTime: string) => `
cluster: { workers: 4, topology: { kind: ring } }
schedule: { kind: gossip-timing, computeTime: ${computeTime}, rate: 1, bytes: 5 MB }
stop: { time: 1 ms }
`;

const ALLREDUCE = (latency: string) => `
cluster: { workers: 2, network: { latency: ${latency} } }
schedule: { kind: allreduce, count: 10, bytes: 1 GB }
`;

describe("inputs check accepted and run failed on", () => {
  it("least-squares with heterogeneity 1000 on 2 workers (was: matrix is not positive definite)", async () => {
    const file = tempFile("ls.yaml", LEAST_SQUARES(1000));
    const line = /problem.heterogeneity: got 1000, expected a number from 0 to 100/;
    expectRefused(await checkInProcess(file), line);
    expectRefused(await runInProcess(file), line);
  });

  it("least-squares with shards so unlike that the Gram matrix is singular, within the range", async () => {
    const file = tempFile("ls.yaml", LEAST_SQUARES(100));
    const line = /problem.heterogeneity: got 100, expected a smaller value, or l2 > 0: .* singular/;
    expectRefused(await checkInProcess(file), line);
    expectRefused(await runInProcess(file), line);
  });

  it("gossip-timing with computeTime 1e-320 (was: more than 4194304 transfers in flight)", async () => {
    const file = tempFile("g.yaml", GOSSIP("1e-320"));
    const line = /schedule.computeTime: got 1e-320, expected a positive time .*, from 1e-15 s to 1e12 s$/m;
    expectRefused(await checkInProcess(file), line);
    expectRefused(await runInProcess(file), line);
  });

  it("gossip-timing sending faster than the network carries: run says so in one line (exit 2)", {
    timeout: 60_000,
  }, async () => {
    const file = tempFile("g.yaml", GOSSIP("1e-12"));
    expect((await checkInProcess(file)).code).toBe(ExitCode.ok);
    expectRefused(
      await runInProcess(file),
      /^cluster.network: got "more than 4194304 transfers in flight", expected a network that carries/,
    );
  });

  it("a latency of 1e308 s: check, run and run --out all refuse it (run --out used to spin forever)", async () => {
    const file = tempFile("a.yaml", ALLREDUCE("1e308"));
    const line = /cluster.network.latency: got 1e\+308, expected a non-negative time .* to 1e12 s$/m;
    expectRefused(await checkInProcess(file), line);
    expectRefused(await runInProcess(file), line);
    const out = join(file, "..", "out");
    expectRefused(await runInProcess(file, { out }), line);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it("the largest latency accepted runs to finite times", async () => {
    const outcome = await runInProcess(tempFile("a.yaml", ALLREDUCE("1e12")));
    expect(outcome.code).toBe(ExitCode.ok);
    const result = JSON.parse(outcome.stdout) as { simTime: number };
    expect(Number.isFinite(result.simTime)).toBe(true);
    expect(result.simTime).toBeGreaterThan(2e13);
  });
});

describe("an accepted input that used to run without end", () => {
  it("A²CiD² at 1e100 exchanges per time unit: refused once its pace shows (exit 2)", {
    timeout: 120_000,
  }, async () => {
    const file = tempFile(
      "fast.yaml",
      `cluster: { workers: 8, topology: { kind: ring } }
schedule: { kind: a2cid2, fidelity: theory, rate: 1e100, lr: 0.002 }
problem: { kind: least-squares, dimension: 10 }
stop: { time: 300 s }
`,
    );
    expect((await checkInProcess(file)).code).toBe(ExitCode.ok);
    expectRefused(
      await runInProcess(file),
      /^stop.time: got 300, expected a horizon the run can reach: at its pace so far \(10000000 events for [\d.e-]+ s\) it needs about [\d.]+e\+\d+ events, over 1000000000000000/,
    );
  });
});

describe("simulated time past float64", () => {
  it("is reported as the scenario's limit, not a bug", () => {
    const sim = new Simulation();
    const kind = sim.registerKind("tick", { handle: () => sim.after(Number.MAX_VALUE, kind) });
    sim.at(Number.MAX_VALUE, kind);
    let caught: unknown;
    try {
      reportingLimits(() => sim.run());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ModelLimitError);
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toMatch(
      /^simulated time: got "Infinity \(a tick event after t = 1\.79\d*e\+308 s\)", expected durations/,
    );
  });
});
