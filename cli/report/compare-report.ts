import type { LabelledRun } from "./compare-table.ts";
import { compareTable } from "./compare-table.ts";
import { escapeHtml, htmlFigure, htmlPage, htmlTable } from "./html.ts";
import type { Plot } from "./plot.ts";
import type { RenderedPlot } from "./render-plots.ts";
import { scopeSvgIds } from "./svg-ids.ts";
import { trainingCurvePlots } from "./training-curves.ts";

/** The overlaid training curves of a comparison: one plot per metric some run has, a colour per run. */
export function comparePlots(runs: ReadonlyArray<LabelledRun>): Plot[] {
  return trainingCurvePlots(runs.map(({ label, result }) => ({ label, series: result.series })));
}

/** compare.html: self-contained like report.html; the side-by-side table, then the overlaid curves. */
export function buildCompareReport(
  runs: ReadonlyArray<LabelledRun>,
  plots: ReadonlyArray<RenderedPlot>,
): string {
  const title = `dtsim comparison: ${runs.map((r) => r.label).join(", ")}`;
  const body = [
    `<h1>${escapeHtml("dtsim comparison")}</h1>`,
    `<p class="subtitle">${runs.length} runs: ${runs.map((r) => `<b>${escapeHtml(r.label)}</b>`).join(", ")}</p>`,
    "<h2>Summary</h2>",
    htmlTable(compareTable(runs)),
    plots.length === 0
      ? '<p class="note">No run sampled training metrics: no curves to overlay.</p>'
      : "<h2>Training curves</h2>",
    ...plots.map(({ plot, svg }) => htmlFigure(scopeSvgIds(svg, plot.name), plot.caption, plot.name)),
  ];
  return htmlPage(title, body.join("\n"));
}
