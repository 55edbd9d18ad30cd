import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isBuiltin, root, sources, specifiers, target, within } from "./imports.ts";

/**
 * The layering of DESIGN.md, read from the import statements. Top-level folders import only downward
 * (scenarios, cli, runtime, sim, kernels); `sim/` and the CPU side of `kernels/` use no Node built-in
 * (they must run in a browser tab or a worker thread unchanged); and inside `sim/` every folder has a
 * rule below naming what it may import besides itself. A new folder of `sim/` needs a rule.
 */

interface Rule {
  /** Repository-relative folders or files (besides the folder itself) its relative imports may reach. */
  readonly may: readonly string[];
  /** Packages it may import; absent: any (the point of the rule is then our own layers). */
  readonly packages?: readonly string[];
  /** Why, in DESIGN.md's words. */
  readonly why: string;
}

/** Inside sim/, from the bottom up. */
const simRules: Readonly<Record<string, Rule>> = {
  "sim/errors.ts": { may: [], packages: [], why: "the error type everything throws" },
  "sim/registry.ts": { may: [], packages: ["effect"], why: "the generic registry of extension points" },
  "sim/engine": {
    may: [],
    packages: ["pure-rand"],
    why: "event queue, clock, random streams, processes: no clusters",
  },
  "sim/cluster": {
    may: ["sim/engine", "sim/errors.ts"],
    packages: [],
    why: "devices, links, topologies, network and collective models: no algorithms, workloads or scenarios",
  },
  "sim/optim": { may: ["kernels", "sim/errors.ts"], why: "optimizers on vectors" },
  "sim/problems": {
    may: ["kernels", "sim/engine", "sim/cluster", "sim/errors.ts", "sim/registry.ts"],
    why: "objectives and data (model presets are a registry)",
  },
  "sim/metrics": {
    may: ["kernels", "sim/engine", "sim/cluster", "sim/problems", "sim/errors.ts", "sim/result.ts"],
    why: "observers: they read the cluster and the models",
  },
  "sim/result.ts": { may: ["sim/metrics"], why: "what a run returns, as the metrics record it" },
  "sim/schedules": {
    may: [
      "kernels",
      "sim/engine",
      "sim/cluster",
      "sim/optim",
      "sim/problems",
      "sim/errors.ts",
      "sim/registry.ts",
      "sim/scenario/fields.ts",
      "sim/scenario/units.ts",
      "sim/scenario/params",
    ],
    packages: ["effect"],
    why: "algorithms: they know the worker and their own parameters' schema, never the scenario's other parts or the backend",
  },
  "sim/workload.ts": {
    may: ["sim/engine", "sim/cluster", "sim/metrics", "sim/result.ts"],
    why: "what runs in a run (a schedule or traffic) and what it may touch",
  },
  "sim/traffic": {
    may: [
      "kernels",
      "sim/engine",
      "sim/cluster",
      "sim/metrics",
      "sim/errors.ts",
      "sim/workload.ts",
      "sim/registry.ts",
      "sim/scenario/fields.ts",
      "sim/scenario/units.ts",
      "sim/scenario/resolve/problems.ts",
    ],
    packages: ["effect"],
    why: "timing-only traffic: sizes through the network model, no training (spec types from the scenario's)",
  },
  "sim/backend": {
    may: [
      "kernels",
      "sim/engine",
      "sim/cluster",
      "sim/optim",
      "sim/problems",
      "sim/metrics",
      "sim/schedules",
      "sim/workload.ts",
      "sim/errors.ts",
    ],
    why: "the simulated backend runs schedules on the cluster model",
  },
  "sim/scenario": {
    // schedules and traffic: for the registry entries that build them, as topology entries build graphs.
    may: [
      "kernels",
      "sim/engine",
      "sim/cluster",
      "sim/optim",
      "sim/problems",
      "sim/schedules",
      "sim/traffic",
      "sim/errors.ts",
      "sim/registry.ts",
    ],
    why: "the scenario format and the registries: decoding never runs anything",
  },
  "sim/calibration": { may: ["sim/scenario", "sim/cluster", "sim/errors.ts"], why: "calibration profiles" },
  "sim/validate": {
    may: ["sim/result.ts", "sim/metrics", "sim/errors.ts"],
    why: "predicted vs measured, from two results",
  },
  "sim/assemble": {
    may: [
      "kernels",
      "sim/engine",
      "sim/cluster",
      "sim/optim",
      "sim/problems",
      "sim/metrics",
      "sim/schedules",
      "sim/traffic",
      "sim/workload.ts",
      "sim/backend",
      "sim/scenario",
      "sim/errors.ts",
      "sim/registry.ts",
    ],
    why: "builds a run's parts from a decoded scenario",
  },
  "sim/run.ts": { may: ["sim", "kernels"], why: "the top: a scenario in, a result out" },
  "sim/check.ts": { may: ["sim", "kernels"], why: "the top: a scenario checked by building its run" },
};

/** The top-level folders, from the top down. */
const topRules: Readonly<Record<string, Rule>> = {
  "index.ts": { may: ["cli", "runtime", "sim", "kernels"], why: "the library: what the CLI is built on" },
  scripts: {
    // The playground's screenshot drives the same headless browser as its test.
    may: ["cli", "runtime", "sim", "kernels", "docs", "test/playground/browser.ts"],
    why: "build and docs scripts",
  },
  cli: {
    // `dtsim playground` builds the page first when it is missing.
    may: ["runtime", "sim", "kernels", "package.json", "scripts/build-playground.mjs"],
    why: "the command line (and its version)",
  },
  runtime: { may: ["sim", "kernels"], why: "the real backend" },
  sim: { may: ["kernels"], why: "the simulator" },
  kernels: { may: [], why: "numeric operations: nothing of ours" },
};

/** The imports of `files` that `rule` (for `self`) does not allow, as "file: specifier". */
function violations(self: string, files: readonly string[], rule: Rule): string[] {
  return files.flatMap((f) =>
    specifiers(f)
      .filter((s) => {
        if (isBuiltin(s)) return false;
        if (!s.startsWith("."))
          return rule.packages !== undefined && !rule.packages.some((p) => within(s, p));
        const to = target(f, s);
        return !within(to, self) && !rule.may.some((m) => within(to, m));
      })
      .map((s) => `${f}: ${s}`),
  );
}

const filesOf = (path: string) => (path.endsWith(".ts") ? [path] : sources(path));

describe("layering (DESIGN.md)", () => {
  const simFiles = sources("sim");
  const cpuKernelFiles = sources("kernels").filter((f) => !within(f, "kernels/webgpu"));

  it("finds the sources it checks", () => {
    expect(simFiles.length).toBeGreaterThan(100);
    expect(simFiles).toContain("sim/engine/event-queue.ts");
    expect(cpuKernelFiles).toContain("kernels/cpu.ts");
  });

  it("sim/ and the CPU kernels import no Node built-in", () => {
    const offending = [...simFiles, ...cpuKernelFiles].flatMap((f) =>
      specifiers(f)
        .filter(isBuiltin)
        .map((s) => `${f}: ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it("every folder and file directly under sim/ has a rule", () => {
    const entries = readdirSync(join(root, "sim"), { withFileTypes: true })
      .filter((e) => e.isDirectory() || e.name.endsWith(".ts"))
      .map((e) => `sim/${e.name}`);
    expect(entries.filter((e) => simRules[e] === undefined)).toEqual([]);
  });

  for (const [self, rule] of Object.entries(simRules)) {
    it(`${self} imports only ${[...rule.may, ...(rule.packages ?? [])].join(", ") || "itself"} (${rule.why})`, () => {
      expect(violations(self, filesOf(self), rule)).toEqual([]);
    });
  }

  for (const [self, rule] of Object.entries(topRules)) {
    it(`${self} imports only ${rule.may.join(", ") || "itself"} of ours (${rule.why})`, () => {
      const files = filesOf(self);
      expect(files.length).toBeGreaterThan(0);
      expect(violations(self, files, rule)).toEqual([]);
    });
  }

  it("catches a violation (the rules are not vacuous)", () => {
    expect(violations("sim/cluster", ["sim/run.ts"], simRules["sim/cluster"]!)).not.toEqual([]);
  });
});
