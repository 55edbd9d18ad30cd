import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

/**
 * The package as another project sees it: `npm pack` (which builds dist/ through `prepack`), then
 * `npm install <tarball>` into a scratch project (offline: the dependencies come from the npm cache
 * this repository's install filled), then `import … from "dtsim"` from a plain .mjs file under plain
 * Node, and from a strict TypeScript file. It takes about 25 s on a 2-core machine, so it runs only
 * with `npm run test:pack` (DTSIM_PACK_TEST=1); test/library/index.test.ts covers the entry in-repo.
 */
const root = join(import.meta.dirname, "../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let scratch = "";

afterEach(() => {
  if (scratch !== "") rmSync(scratch, { recursive: true, force: true });
});

const CONSUMER_MJS = `
import { run, resultToJson, checkScenario, devicePresets } from "dtsim";
const result = run({
  cluster: { workers: 4, device: { preset: "h100" }, network: { preset: "ib-200" } },
  schedule: { kind: "allreduce", bytes: "1 GB" },
});
const problems = checkScenario({ cluster: { workers: 0 }, schedule: { kind: "allreduce", bytes: "1 MB" } });
console.log(JSON.stringify({
  simTime: result.simTime,
  collectives: resultToJson(result).collectives.length,
  h100: devicePresets.h100.peakFlops,
  problems: problems.ok ? [] : problems.problems.map((p) => p.message),
}));
`;

const CONSUMER_TS = `
import { decodeScenario, run, type RunResult, type Scenario } from "dtsim";
const result: RunResult = run({ cluster: { workers: 2 }, schedule: { kind: "allreduce", bytes: "1 MB" } });
const scenario: Scenario = decodeScenario({ cluster: { workers: 2 }, schedule: { kind: "p2p", transfers: [] } });
// @ts-expect-error simTime is a number: the types are the real ones, not any
const wrong: string = result.simTime;
export const total: number = result.events + scenario.cluster.workers + wrong.length;
`;

describe.skipIf(process.env.DTSIM_PACK_TEST !== "1")("the packed package, installed elsewhere", () => {
  it("installs from its tarball and runs a scenario from a plain .mjs file", () => {
    const started = performance.now();
    scratch = mkdtempSync(join(tmpdir(), "dtsim-pack-"));
    const packed = execFileSync(npm, ["pack", "--pack-destination", scratch, "--loglevel=error"], {
      cwd: root,
      encoding: "utf8",
    });
    const tarball = join(scratch, packed.trim().split("\n").at(-1)!);
    const packedAt = performance.now();

    const consumer = join(scratch, "consumer");
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, "package.json"),
      JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }),
    );
    execFileSync(npm, ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], {
      cwd: consumer,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const installedAt = performance.now();

    writeFileSync(join(consumer, "main.mjs"), CONSUMER_MJS);
    const output = execFileSync(process.execPath, ["main.mjs"], { cwd: consumer, encoding: "utf8" });
    const ranAt = performance.now();
    const parsed = JSON.parse(output) as Record<string, unknown>;
    expect(parsed.collectives).toBe(1);
    expect(parsed.h100).toBe("989 TFLOP/s");
    // A 1 GB ring all-reduce over 4 workers at 25 GB/s: 6 steps of 250 MB, plus 1 us latency each.
    expect(parsed.simTime).toBeCloseTo(6 * (250e6 / 25e9 + 1e-6), 9);
    expect(parsed.problems).toEqual(["cluster.workers: got 0, expected an integer in [1, 1000000]"]);

    writeFileSync(join(consumer, "main.ts"), CONSUMER_TS);
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", strict: true, noEmit: true, types: [] },
        files: ["main.ts"],
      }),
    );
    execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", consumer], {
      encoding: "utf8",
    });
    const typedAt = performance.now();

    const seconds = (a: number, b: number) => ((b - a) / 1000).toFixed(1);
    process.stderr.write(
      `pack ${seconds(started, packedAt)} s, install ${seconds(packedAt, installedAt)} s, ` +
        `run ${seconds(installedAt, ranAt)} s, type-check ${seconds(ranAt, typedAt)} s\n`,
    );
  }, 300_000);
});
