import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../sim/errors.ts";
import { type RunArtifacts, writeText } from "../out-files.ts";
import { runPlots } from "./plots.ts";
import { svgToPng } from "./png.ts";
import { type RenderedPlot, renderPlots } from "./render-plots.ts";
import { buildReport } from "./report.ts";

/** The `ArtifactWriter` of report.html, and with --png of plots/NAME.svg and plots/NAME.png. */
export async function writeReport({ dir, result, png }: Pick<RunArtifacts, "dir" | "result" | "png">) {
  const rendered = await renderPlots(runPlots(result));
  writeText(dir, "report.html", buildReport(result, rendered));
  if (png === true) await writePlotFiles(dir, rendered);
}

/** plots/NAME.svg and plots/NAME.png for each plot, in `dir`. */
export async function writePlotFiles(dir: string, rendered: ReadonlyArray<RenderedPlot>): Promise<void> {
  const plots = join(dir, "plots");
  try {
    mkdirSync(plots, { recursive: true });
  } catch (error) {
    throw new InputError("--out", dir, `a folder dtsim can create plots/ in (${(error as Error).message})`);
  }
  for (const { plot, svg } of rendered) {
    writeText(plots, `${plot.name}.svg`, svg);
    writeText(plots, `${plot.name}.png`, await svgToPng(svg));
  }
}
