import { describe, expect, it } from "vitest";
import { formatSchedules } from "../../cli/commands/schedules.ts";
import { checkRuntimeScenario } from "../../runtime/scenario-checks.ts";
import { renderScenarioReference } from "../../scripts/scenario-docs.ts";
import { checkScenario } from "../../sim/check.ts";
import { RegistryError } from "../../sim/registry.ts";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario, scenarioProblems } from "../../sim/scenario/decode.ts";
import { scheduleKinds } from "../../sim/scenario/reference.ts";
import { scheduleRegistry } from "../../sim/scenario/registry/schedules.ts";
import { isTraining } from "../../sim/scenario/resolve/schedule.ts";
import { localSgd } from "../fixtures/local-sgd.ts";

/**
 * A training algorithm defined in one file (test/fixtures/local-sgd.ts), registered through the
 * registry's public `add`, goes everywhere a shipped one goes: decoded with its defaults and its own
 * rules, checked, listed by `dtsim schedules` and in the reference, accepted by the runtime's checks,
 * and run in both fidelities. Nothing else in the source tree names it. (Vitest gives each test file
 * its own modules, so no other test sees it.)
 */
const scenario = (schedule: object, stop: object = { time: 20 }) => ({
  seed: 5,
  cluster: {
    workers: 4,
    device: { peakFlops: "1 MFLOP/s", efficiency: 0.5 },
    network: { bandwidth: "1 MB/s", latency: "1 ms" },
  },
  problem: { kind: "logistic", dimension: 20, samplesPerWorker: 64, batchSize: 16, heterogeneity: 1 },
  schedule: { kind: "local-sgd", ...schedule },
  stop,
});

describe("a training schedule registered by a plug-in", () => {
  it("is refused before it is registered, then accepted", () => {
    expect(scenarioProblems(scenario({}))[0]!.message).toMatch(/^schedule\.kind: got "local-sgd"/);
    scheduleRegistry.add(localSgd);
    expect(scheduleRegistry.kinds()).toContain("local-sgd");
    expect(isTraining({ kind: "local-sgd" })).toBe(true);
    expect(() => scheduleRegistry.add(localSgd)).toThrow(RegistryError);
  });

  it("decodes with its defaults; its own rule and its field checks report by path", () => {
    const decoded = decodeScenario(scenario({ fidelity: "theory" }));
    expect(decoded.schedule).toEqual({
      kind: "local-sgd",
      trains: true,
      fidelity: "theory",
      sampleEvery: 0.2,
      params: { period: 4, lr: 0.05 },
    });
    expect(scenarioProblems(scenario({ period: 2000 })).map((p) => p.message)).toEqual([
      "schedule.period: got 2000, expected at most 1000 local steps",
    ]);
    expect(scenarioProblems(scenario({ period: 0 }))[0]!.path).toBe("schedule.period");
    expect(scenarioProblems(scenario({ periods: 3 }))[0]!.path).toBe("schedule.periods");
    // A training schedule needs a problem and a horizon, as every shipped one does.
    const { problem: _, ...noProblem } = scenario({});
    expect(scenarioProblems(noProblem)[0]!.path).toBe("problem");
    expect(scenarioProblems(scenario({}, {}))[0]!.path).toBe("stop.time");
  });

  it("is checked, and accepted by the runtime's checks in systems fidelity", () => {
    expect(checkScenario(scenario({})).ok).toBe(true);
    expect(() => checkRuntimeScenario(decodeScenario(scenario({}, { time: "1 s" })))).not.toThrow();
    expect(() => checkRuntimeScenario(decodeScenario(scenario({ fidelity: "theory" })))).toThrow(
      /schedule\.fidelity/,
    );
  });

  it("is listed by dtsim schedules and in the reference", () => {
    const doc = scheduleKinds().find((k) => k.kind === "local-sgd")!;
    expect(doc.summary).toBe(localSgd.summary);
    expect(doc.fields.map((f) => f.path)).toEqual(["period", "lr", "fidelity", "sampleEvery"]);
    expect(formatSchedules("local-sgd")).toContain("local-sgd");
    expect(formatSchedules()).toContain("Local SGD");
    expect(renderScenarioReference()).toContain("#### `local-sgd`");
  });

  it("runs in theory fidelity: one gradient per unit on every worker, an averaging every period", () => {
    const result = runScenario(decodeScenario(scenario({ fidelity: "theory", period: 4 })));
    for (const w of result.workers) {
      expect(w.counts.gradients).toBeGreaterThanOrEqual(19);
      expect(w.counts.averagings).toBe(Math.floor(w.counts.gradients! / 4));
      // Theory: no device time.
      expect(w.computeTime).toBe(0);
    }
    const loss = result.series!.loss!;
    expect(loss.at(-1)!).toBeLessThan(loss[0]!);
  });

  it("runs in systems fidelity: gradients take device time, averagings move bytes", () => {
    const result = runScenario(decodeScenario(scenario({ period: 2 }, { time: "2 s" })));
    expect(result.collectives.length).toBeGreaterThan(0);
    for (const w of result.workers) {
      expect(w.computeTime).toBeGreaterThan(0);
      expect(w.bytesSent).toBeGreaterThan(0);
      // The run may stop with the last averaging still in flight.
      const owed = Math.floor(w.counts.gradients! / 2) - w.counts.averagings!;
      expect(owed === 0 || owed === 1).toBe(true);
    }
  });
});
