import { describe, expect, it } from "vitest";
import { dtsim } from "./dtsim.ts";

/**
 * `dtsim execute` as a user runs it: a real (wall-clock) run on the CPU, in this process, of the
 * all-reduce validation scenario shortened to 0.5 s on a laptop-class device. Behaviour only: what is
 * printed and the exit codes, not how fast anything was.
 */
const SHORT = [
  "scenarios/validate/allreduce-mlp4.yaml",
  "--set",
  "stop.time=0.5",
  "--set",
  "cluster.device.preset=laptop",
];

describe.concurrent("dtsim execute", () => {
  it("prints the run's summary as wall-clock time, then what it measured", async () => {
    const out = await dtsim(["execute", ...SHORT]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^ {2}ran for +500 ms \(reached stop\.time\)$/m);
    expect(out.stdout).not.toMatch(/simulated/);
    expect(out.stdout).toMatch(/^measured \(wall clock, in-process\)$/m);
    expect(out.stdout).toMatch(/^ {2}gradient +.* mean per worker/m);
    expect(out.stdout).toMatch(/^ {2}collective +mean .*, p50 .*, p90 .* \(\d+\)$/m);
    expect(out.stdout).toMatch(/^ {2}host work +mean /m);
  }, 120_000);

  it("gives the run's JSON plus measured with --json", async () => {
    const out = await dtsim(["execute", ...SHORT, "--json"]);
    expect(out.status).toBe(0);
    const json = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(json.simTime).toBe(0.5);
    const measured = json.measured as Record<string, { count: number }>;
    expect(measured.collectives!.count).toBeGreaterThan(0);
    expect(measured.hostWork!.count).toBeGreaterThan(0);
  }, 120_000);

  it("refuses theory fidelity with one line and exit 2", async () => {
    const out = await dtsim([
      "execute",
      "scenarios/validate/gossip-ring8.yaml",
      "--set",
      "cluster.device.preset=laptop",
      "--set",
      "schedule.fidelity=theory",
    ]);
    expect(out.status).toBe(2);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(out.stderr).toMatch(/^schedule\.fidelity: got "theory"/);
  }, 120_000);
});
