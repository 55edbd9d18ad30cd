import { recordingOf } from "../../sim/metrics/recording.ts";
import type { RunResult } from "../../sim/result.ts";
import { linkUtilisationPlot } from "./link-utilisation.ts";
import { memoryPlot } from "./memory.ts";
import type { Plot } from "./plot.ts";
import { timeBreakdownPlot } from "./time-breakdown.ts";
import { trainingCurvePlots } from "./training-curves.ts";

/**
 * The plots of one run's report, in reading order: training curves, where the time went, the network,
 * memory. A plot with no data is left out rather than drawn as empty axes.
 */
export function runPlots(result: RunResult): Plot[] {
  return [
    ...trainingCurvePlots([{ label: result.scenario, series: result.series }]),
    timeBreakdownPlot(result.workers),
    linkUtilisationPlot(recordingOf(result)),
    memoryPlot(result.memory),
  ].filter((plot): plot is Plot => plot !== undefined);
}
