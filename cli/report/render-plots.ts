import type { Plot } from "./plot.ts";
import { vegaLiteToSvg } from "./render.ts";

/** A plot with its SVG text. */
export interface RenderedPlot {
  readonly plot: Plot;
  readonly svg: string;
}

/** Draws the plots one after the other (vega's views share nothing; one at a time keeps memory flat). */
export async function renderPlots(plots: ReadonlyArray<Plot>): Promise<RenderedPlot[]> {
  const rendered: RenderedPlot[] = [];
  for (const plot of plots) rendered.push({ plot, svg: await vegaLiteToSvg(plot.spec) });
  return rendered;
}
