import type { Recording } from "../../sim/metrics/recording.ts";
import { formatBytes } from "../format.ts";
import { PLOT_WIDTH, type Plot } from "./plot.ts";

/** Links drawn at most: the busiest ones (a fat tree has thousands). */
export const MAX_LINKS = 30;

/**
 * How busy each link was over the whole run: bytes it carried / (its capacity × simulated time), one
 * horizontal bar per link, busiest first. Needs the run's recording (`dtsim run --out` records);
 * undefined without it or when no link carried a byte. The α-β model ignores contention, so a link can
 * read above 1 there: the bar then says the link was oversubscribed.
 */
export function linkUtilisationPlot(recording: Recording | undefined): Plot | undefined {
  if (recording === undefined || recording.links.series.length === 0 || !(recording.simTime > 0))
    return undefined;
  const links = recording.links.series.map((link) => {
    let bytes = 0;
    for (const b of link.bytes) bytes += b;
    return { link: link.name, bytes, utilisation: bytes / (link.capacity * recording.simTime) };
  });
  links.sort((a, b) => b.utilisation - a.utilisation || a.link.localeCompare(b.link));
  const shown = links.slice(0, MAX_LINKS);
  const total = links.reduce((sum, l) => sum + l.bytes, 0);
  const rest = links.length > shown.length ? ` The ${shown.length} busiest of ${links.length} links.` : "";
  return {
    name: "link-utilisation",
    title: "Link utilisation",
    caption:
      `Bytes each link carried divided by its capacity × the simulated time (1 = busy all the time), ` +
      `busiest first; ${formatBytes(total)} carried in all.${rest}`,
    spec: {
      title: "Link utilisation",
      width: PLOT_WIDTH - 160,
      // A bar per link: the height follows the number of links.
      height: { step: 16 },
      data: { values: shown },
      mark: { type: "bar", color: "#54a24b" },
      encoding: {
        y: { field: "link", type: "nominal", title: null, sort: shown.map((l) => l.link) },
        x: { field: "utilisation", type: "quantitative", title: "busy fraction (bytes / capacity·time)" },
      },
    },
  };
}
