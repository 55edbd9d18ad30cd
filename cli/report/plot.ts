import type { VegaLiteSpec } from "./render.ts";

/** One figure of a report: a file name for plots/, a title, a caption under it, and what to draw. */
export interface Plot {
  /** File stem in `plots/` (`loss` → plots/loss.svg, plots/loss.png). */
  readonly name: string;
  readonly title: string;
  /** One or two sentences under the figure: what is drawn and how to read it. */
  readonly caption: string;
  readonly spec: VegaLiteSpec;
}

/** The plots' common size (CSS pixels): wide enough for a report column, short enough to scan. */
export const PLOT_WIDTH = 560;
export const PLOT_HEIGHT = 260;

/**
 * Whether positive values are better read on a log scale: they span at least `ratio` to one. Values at
 * or below zero are ignored (the caller leaves them out of a log plot and says so).
 */
export function wantsLogScale(values: Iterable<number>, ratio = 100): boolean {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max > 0 && max / min >= ratio;
}
