import type { RunResult } from "../../sim/result.ts";
import { collectiveTableData, summaryPairs, type TableData, workerTableData } from "../summary.ts";
import { escapeHtml, htmlFigure, htmlPage, htmlTable } from "./html.ts";
import type { RenderedPlot } from "./render-plots.ts";
import { scopeSvgIds } from "./svg-ids.ts";

/**
 * report.html of a run: one self-contained page (inline CSS and SVG, no script, nothing fetched) with
 * the scenario's name and seed, the numbers `dtsim run` prints (cli/summary.ts: the same functions),
 * then each plot with its caption.
 */
export function buildReport(result: RunResult, plots: ReadonlyArray<RenderedPlot>): string {
  const title = `dtsim report: ${result.scenario}`;
  const summary: TableData = {
    columns: [
      { header: "", align: "left" },
      { header: "", align: "left" },
    ],
    rows: summaryPairs(result).map(([key, value]) => [key, value]),
  };
  const workers = workerTableData(result.workers);
  const collectives = collectiveTableData(result.collectives);
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="subtitle">scenario <b>${escapeHtml(result.scenario)}</b>, seed <b>${result.seed}</b></p>`,
    "<h2>Summary</h2>",
    htmlTable(summary),
    workers === undefined ? "" : htmlTable(workers, "Workers"),
    collectives === undefined ? "" : htmlTable(collectives, "Collectives"),
    plots.length === 0 ? "" : "<h2>Plots</h2>",
    ...plots.map(({ plot, svg }) => htmlFigure(scopeSvgIds(svg, plot.name), plot.caption, plot.name)),
  ];
  return htmlPage(title, body.filter((part) => part !== "").join("\n"));
}
