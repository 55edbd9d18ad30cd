import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fakeResult, removeTempDirs, sweepInProcess, tempDir } from "../../sweep/helpers.ts";
import { PNG_SIGNATURE } from "./helpers.ts";

afterAll(removeTempDirs);

describe("dtsim sweep --out draws scaling.svg with the report's renderer", () => {
  it("a metric against the swept parameter, a band for the interval over seeds; --png adds scaling.png", async () => {
    const out = tempDir();
    // Fake runs (simTime = seed × workers) keep this to the plotting; the real renderer draws it.
    const { code, lines } = await sweepInProcess(
      { out, grids: ["cluster.workers=2,4,8"], seeds: "3", metric: "simTime", png: true },
      // The helper's default answers no SVG: remove it, so the sweep uses its own renderer.
      { command: fakeResult, renderSvg: undefined as never },
    );
    expect(code).toBe(0);
    expect(lines.at(-1)).toContain("scaling.svg");
    const svg = readFileSync(join(out, "scaling.svg"), "utf8");
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain(">simTime against cluster.workers<");
    expect(svg).toContain(">mean over 3 seeds, band: 95 % confidence interval<");
    // The interval is a band (an area), not error bars.
    expect(svg).toContain('aria-roledescription="errorband"');
    const png = readFileSync(join(out, "scaling.png"));
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });
});
