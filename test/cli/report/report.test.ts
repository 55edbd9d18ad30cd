import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { linkUtilisationPlot } from "../../../cli/report/link-utilisation.ts";
import { memoryPlot } from "../../../cli/report/memory.ts";
import { scopeSvgIds } from "../../../cli/report/svg-ids.ts";
import { timeBreakdownPlot } from "../../../cli/report/time-breakdown.ts";
import { trainingCurvePlots } from "../../../cli/report/training-curves.ts";
import { workerGroups } from "../../../cli/report/worker-groups.ts";
import type { WorkerResult } from "../../../sim/result.ts";
import { dtsim } from "../dtsim.ts";
import { figures, freshDir, PNG_SIGNATURE, removeFreshDirs, smallTrainingFile } from "./helpers.ts";

afterAll(removeFreshDirs);

/** Each plot of the small training run: its id (and plots/ file stem) and text its SVG must show. */
const EXPECTED: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["loss", ["Loss", "simulated time (s)", "loss of the averaged model"]],
  ["consensus", ["Consensus distance", "simulated time (s)"]],
  ["distance-to-optimum", ["Distance to the optimum", "simulated time (s)"]],
  ["time-breakdown", ["Time per worker", "compute", "idle", "simulated seconds"]],
  ["link-utilisation", ["Link utilisation", "uplink of device 0", "busy fraction"]],
  ["memory", ["Memory per device", "GB", "parameters"]],
];

describe.concurrent("dtsim run --out writes report.html", () => {
  it("one self-contained page with the summary and every plot; --png adds plots/*.png and *.svg", async () => {
    const out = freshDir();
    const outcome = await dtsim(["run", smallTrainingFile(), "--out", out, "--png"]);
    expect(outcome.stderr).toBe("");
    expect(outcome.status).toBe(0);
    const html = readFileSync(join(out, "report.html"), "utf8");

    expect(html).toContain("<title>dtsim report: report-small</title>");
    expect(html).toContain("scenario <b>report-small</b>, seed <b>3</b>");
    // The summary's numbers, as `dtsim run` printed them.
    const printed = outcome.stdout.match(/^ {2}events +(\S+)$/m)?.[1];
    expect(printed).toBeDefined();
    expect(html).toContain(`<td>events</td><td>${printed}</td>`);

    const figure = figures(html);
    expect([...figure.keys()]).toEqual(EXPECTED.map(([id]) => id));
    for (const [id, texts] of EXPECTED) {
      const inner = figure.get(id)!;
      expect(inner.match(/<svg/g), id).toHaveLength(1);
      for (const text of texts) expect(inner, `${id}: ${text}`).toContain(`>${text}`);
      expect(inner).toMatch(/<figcaption>.+<\/figcaption>/);
    }

    // Self-contained: no script, nothing fetched (the SVG namespace URI is a name, not a fetch).
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?(?:https?:)?\/\//i);

    for (const [id] of EXPECTED) {
      const png = readFileSync(join(out, "plots", `${id}.png`));
      expect([...png.subarray(0, 8)], id).toEqual(PNG_SIGNATURE);
      expect(readFileSync(join(out, "plots", `${id}.svg`), "utf8")).toMatch(/^<svg/);
    }
  });

  it("without --png there is no plots/ folder; --png without --out is refused in one line", async () => {
    const out = freshDir();
    const plain = await dtsim(["run", "scenarios/core/allreduce.yaml", "--out", out]);
    expect(plain.status).toBe(0);
    expect(existsSync(join(out, "report.html"))).toBe(true);
    expect(existsSync(join(out, "plots"))).toBe(false);
    // allreduce has no training: no curves, and the other plots are there.
    const ids = [...figures(readFileSync(join(out, "report.html"), "utf8")).keys()];
    expect(ids).toEqual(["time-breakdown", "link-utilisation", "memory"]);

    const refused = await dtsim(["run", "scenarios/core/allreduce.yaml", "--png"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trimEnd().split("\n")).toEqual([
      "--png: got true, expected --png together with --out DIR (the folder the PNG files go to)",
    ]);
  });
});

describe("plots with no data are left out", () => {
  const worker = (
    id: number,
    computeTime: number,
    exposedCommTime: number,
    idleTime: number,
  ): WorkerResult => ({
    id,
    computeTime,
    commTime: exposedCommTime,
    exposedCommTime,
    idleTime,
    bytesSent: 0,
    bytesReceived: 0,
    counts: {},
  });

  it("no series, no time spent working, no recording, no memory held: no plot", () => {
    expect(trainingCurvePlots([{ label: "a", series: undefined }])).toEqual([]);
    expect(trainingCurvePlots([{ label: "a", series: { t: [0, 1], loss: [] } }])).toEqual([]);
    // Theory fidelity: every worker idle all along.
    expect(timeBreakdownPlot([worker(0, 0, 0, 5), worker(1, 0, 0, 5)])).toBeUndefined();
    expect(timeBreakdownPlot([])).toBeUndefined();
    expect(linkUtilisationPlot(undefined)).toBeUndefined();
    const empty = { parameters: 0, gradients: 0, optimizerState: 0, buffers: 0 };
    expect(
      memoryPlot([{ worker: 0, peak: 0, capacity: 1e9, outOfMemory: false, peakByCategory: empty }]),
    ).toBeUndefined();
  });

  it("a curve spanning decades goes on a log scale without its zeros; one that does not stays linear", () => {
    const series = { t: [0, 1, 2, 3], consensus: [0, 1e-1, 1e-3, 1e-5], loss: [4, 3, 2.5, 2] };
    const [loss, consensus] = trainingCurvePlots([{ label: "a", series }]);
    expect(loss!.spec.encoding).toMatchObject({ y: { scale: { zero: false } } });
    expect(consensus!.spec.encoding).toMatchObject({ y: { scale: { type: "log" } } });
    expect((consensus!.spec.data as { values: unknown[] }).values).toHaveLength(3);
    expect(consensus!.caption).toContain("1 sample at 0 not drawn on the log scale");
  });

  it("many workers are pooled into at most 64 bars of consecutive workers", () => {
    const groups = workerGroups(Array.from({ length: 1000 }, (_, i) => i));
    expect(groups.length).toBeLessThanOrEqual(64);
    expect(groups[0]).toMatchObject({ label: "0–15" });
    expect(groups.flatMap((g) => g.members)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const plot = timeBreakdownPlot(Array.from({ length: 1000 }, (_, i) => worker(i, 1, i < 16 ? 1 : 0, 0)));
    const rows = (plot!.spec.data as { values: Array<{ worker: string; part: string; seconds: number }> })
      .values;
    expect(rows.find((r) => r.worker === "0–15" && r.part !== "compute" && r.part !== "idle")?.seconds).toBe(
      1,
    );
  });

  it("ids of two inlined SVGs do not collide", () => {
    const svg =
      '<svg><clipPath id="clip1"><rect/></clipPath><g clip-path="url(#clip1)"><use href="#clip1"/></g></svg>';
    expect(scopeSvgIds(svg, "memory")).toBe(
      '<svg><clipPath id="memory-clip1"><rect/></clipPath><g clip-path="url(#memory-clip1)"><use href="#memory-clip1"/></g></svg>',
    );
  });
});
