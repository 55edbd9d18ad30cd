import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../cli/load.ts";
import * as dtsim from "../../index.ts";
import { InputError } from "../../sim/errors.ts";
import { resultToJson } from "../../sim/result.ts";
import { runScenario } from "../../sim/run.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";

const root = join(import.meta.dirname, "../..");
const allreduce = join(root, "scenarios/core/allreduce.yaml");
const tiny = { cluster: { workers: 4 }, schedule: { kind: "allreduce", bytes: "1 MB" } };

/** A result without its wall-clock fields, which differ from run to run. */
function timeless(result: dtsim.RunResult): Record<string, unknown> {
  const { wallTime: _w, eventsPerSecond: _e, ...rest } = resultToJson(result);
  return rest;
}

describe("the library entry (index.ts)", () => {
  it("exports the functions the command line uses", () => {
    expect(dtsim.runScenario).toBe(runScenario);
    expect(dtsim.decodeScenario).toBe(decodeScenario);
    expect(dtsim.resultToJson).toBe(resultToJson);
    expect(dtsim.InputError).toBe(InputError);
    for (const name of [
      "run",
      "loadScenario",
      "decodeScenarioAll",
      "scenarioProblems",
      "checkScenario",
      "buildRun",
      "applySet",
      "scheduleKinds",
      "devicePresets",
      "networkPresets",
      "modelPresets",
    ]) {
      expect(typeof (dtsim as Record<string, unknown>)[name], name).not.toBe("undefined");
    }
  });

  it("run(path) is what dtsim run does: load, decode (named after the file), run", () => {
    const result = dtsim.run(allreduce);
    expect(result.scenario).toBe("allreduce");
    const scenario = decodeScenario(loadScenarioFile(allreduce), { defaultName: "allreduce" });
    expect(timeless(result)).toEqual(timeless(runScenario(scenario)));
  });

  it("run(object) takes the scenario as written in a file, with --set and --seed", () => {
    const result = dtsim.run(tiny, { set: ["cluster.workers=2", "cluster.network.preset=ib-400"], seed: 7 });
    expect(result.scenario).toBe("unnamed");
    expect(result.seed).toBe(7);
    expect(result.workers).toHaveLength(2);
    // One 1 MB ring all-reduce on 2 workers over 50 GB/s links: two steps of 0.5 MB plus latencies.
    expect(result.simTime).toBeCloseTo(2 * (0.5e6 / 50e9 + 1e-6), 9);
  });

  it("throws the first InputError; scenarioProblems and checkScenario list them all", () => {
    const bad = { cluster: { workers: 0 }, schedule: { kind: "allreduc", bytes: "1 MB" } };
    expect(() => dtsim.run(bad)).toThrow(InputError);
    expect(dtsim.scenarioProblems(bad).map((p) => p.path)).toEqual(["cluster.workers", "schedule.kind"]);
    const result = dtsim.checkScenario(bad);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual(["cluster.workers", "schedule.kind"]);
  });

  it("package.json points a consumer at the compiled entry that tsconfig.build.json emits", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
    const build = JSON.parse(readFileSync(join(root, "tsconfig.build.json"), "utf8")) as {
      compilerOptions: Record<string, unknown>;
      include: string[];
    };
    expect(build.include).toContain("index.ts");
    expect(build.compilerOptions).toMatchObject({ outDir: "dist", rootDir: ".", declaration: true });
    expect(build.compilerOptions.rewriteRelativeImportExtensions).toBe(true);
    expect(pkg.main).toBe("./dist/index.js");
    expect(pkg.types).toBe("./dist/index.d.ts");
    expect(pkg.exports).toMatchObject({ ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } });
    expect(pkg.files).toContain("dist");
    expect((pkg.scripts as Record<string, string>).prepack).toBe("npm run build");
  });
});
