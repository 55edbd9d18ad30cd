import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { calibrate } from "../../runtime/calibration/calibrate.ts";
import { validateScenario } from "../../runtime/validate.ts";
import { type CalibrationProfile, decodeProfile } from "../../sim/calibration/profile.ts";

/**
 * calibrate and validate end to end, on the CPU (the WebGPU path is the same code with another
 * WorkerCompute, and its kernels and gradients have their own conformance suites). Quick sizes: the
 * numbers are rough, so the tests check what must hold whatever the machine, not accuracy.
 */
const dtsim = (...args: string[]) =>
  spawnSync(process.execPath, ["bin/dtsim.js", ...args], { encoding: "utf8", timeout: 120_000 });

describe("calibrate (cpu, quick)", () => {
  let profile: CalibrationProfile;

  it("measures every part of the profile, and the profile survives JSON", async () => {
    profile = decodeProfile(
      JSON.parse(JSON.stringify(await calibrate({ compute: "cpu", quick: true }))),
      "p",
    );
    expect(profile.compute.kind).toBe("cpu");
    expect(Object.keys(profile.fits).sort()).toEqual(["least-squares", "logistic", "mlp"]);
    for (const fit of Object.values(profile.fits)) {
      expect(fit.efficiency).toBeGreaterThan(0);
      expect(fit.launchOverhead).toBeGreaterThanOrEqual(0);
    }
    expect(profile.gradients.length).toBe(9);
    expect(profile.concurrency.some((c) => c.workers === 2)).toBe(true);
    // The link shaper never completes a transfer before its α-β time.
    expect(profile.link!.measuredSeconds).toBeGreaterThanOrEqual(profile.link!.predictedSeconds);
    expect(profile.tcp!.bytesPerSecond).toBeGreaterThan(0);
    expect(profile.hostStep!.bytesPerSecond).toBeGreaterThan(0);
    for (const c of profile.concurrency.filter((c) => c.workers > 1)) {
      expect(c.cv).toBeGreaterThan(0);
      expect(c.exchangesPerSecond).toBeGreaterThan(0);
      expect(c.exchangeSeconds).toBeGreaterThan(0);
      expect(c.exchangeBytes).toBeGreaterThan(0);
    }
  }, 180_000);

  it("then validate puts prediction and measurement side by side, with their relative errors", async () => {
    const raw = {
      name: "tiny-validation",
      seed: 2,
      cluster: {
        workers: 3,
        topology: { kind: "complete" },
        device: { preset: "this-machine" },
        devices: [{ worker: 2, speed: 0.5 }],
        network: { model: "alpha-beta", layout: "switch", bandwidth: "100 kB/s", latency: "2 ms" },
      },
      problem: { kind: "logistic", dimension: 20, samplesPerWorker: 64, batchSize: 8 },
      schedule: { kind: "allreduce-sgd", optimizer: { kind: "sgd", lr: 0.05 }, sampleEvery: "0.1 s" },
      stop: { time: "0.6 s" },
    };
    const run = await validateScenario(raw, profile, { processes: false });
    const names = run.report.metrics.map((m) => m.name);
    expect(names).toContain("time per gradient (s)");
    expect(names).toContain("time per collective (s), modelled on both");
    expect(names).toContain("idle fraction, worker 0");
    expect(names.some((n) => n.startsWith("loss at"))).toBe(true);
    for (const m of run.report.metrics) {
      expect(Number.isFinite(m.predicted) && Number.isFinite(m.measured)).toBe(true);
      expect(m.relativeError).toBeGreaterThanOrEqual(0);
    }
    expect(run.report.maxError).toBeGreaterThanOrEqual(run.report.averageError);
    // Both backends ran the same scenario to the same horizon.
    expect(run.predicted.stopReason).toBe("time");
    expect(run.measured.stopReason).toBe("time");
    // Both runs have one entry per worker (the half-speed worker's effect on idle time is a timing
    // behaviour, tested in test/runtime with a device that really runs in parallel).
    expect(run.measured.workers.length).toBe(run.predicted.workers.length);
    // Nothing is sent point to point: the exchange side of the model does not apply.
    expect(run.exchangeModel).toBeUndefined();
  }, 120_000);

  it("models the moves of a gossip run: the cores carry them, and no move beats the transport", async () => {
    const raw = {
      name: "tiny-gossip-validation",
      seed: 2,
      cluster: {
        workers: 2,
        topology: { kind: "complete" },
        device: { preset: "this-machine" },
        network: { model: "alpha-beta", layout: "switch", bandwidth: "1 MB/s", latency: "10 us" },
      },
      problem: { kind: "logistic", dimension: 20, samplesPerWorker: 64, batchSize: 8 },
      schedule: { kind: "gossip", rate: 1, lr: 0.05, sampleEvery: "0.1 s" },
      stop: { time: "0.4 s" },
    };
    const run = await validateScenario(raw, profile, { processes: false });
    const model = run.exchangeModel!;
    expect(model.movesPerGradient).toBeGreaterThan(0);
    expect(model.stretch).toBeGreaterThan(1);
    // The transport's time under compute load, stretched like the gradients.
    const measured = profile.concurrency.find((c) => c.problem === "logistic" && c.workers === 2)!;
    expect(model.transportSeconds).toBeCloseTo(measured.exchangeSeconds! * model.stretch, 12);
    // The simulated latency is the scenario's, or raised so that a move lasts the transport's time.
    expect(model.latency).toBeGreaterThanOrEqual(10e-6);
    expect(run.scenario.cluster.network.latency).toBe(model.latency);
    const bytes = 20 * 4;
    // (to a microsecond: the floor uses the first run's mean bytes per move, 80 give or take)
    expect(Math.max(10e-6 + bytes / 1e6, model.transportSeconds)).toBeCloseTo(model.latency + bytes / 1e6, 6);
  }, 120_000);
});

describe("calibrate and validate on the command line", () => {
  it("refuses an unknown backend with one line and exit 2", () => {
    const out = dtsim("calibrate", "--backend", "metal");
    expect(out.status).toBe(2);
    expect(out.stderr.trim()).toBe('--backend: got "metal", expected one of auto | vulkan | opengles | cpu');
  });

  it("says to run calibrate when validate has no profile", () => {
    const dir = mkdtempSync(join(tmpdir(), "dtsim-validate-"));
    const out = dtsim(
      "validate",
      "scenarios/validate/gossip-ring8.yaml",
      "--profile",
      join(dir, "none.json"),
    );
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(
      /--profile: got ".*none\.json", expected a calibration profile: run `dtsim calibrate` first/,
    );
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses a bad --repeat with one line and exit 2", () => {
    const out = dtsim("validate", "scenarios/validate/gossip-ring8.yaml", "--repeat", "0");
    expect(out.status).toBe(2);
    expect(out.stderr.trim()).toBe('--repeat: got "0", expected an integer from 1 to 100');
  });

  it("names the field of a malformed profile", () => {
    const dir = mkdtempSync(join(tmpdir(), "dtsim-validate-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ format: "dtsim-calibration/1" }));
    const out = dtsim("validate", "scenarios/validate/gossip-ring8.yaml", "--profile", file);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/bad\.json: /);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });
});
