import type { WorkerResult } from "../../sim/result.ts";
import { PLOT_HEIGHT, PLOT_WIDTH, type Plot } from "./plot.ts";
import { groupingNote, groupMean, workerGroups } from "./worker-groups.ts";

/** Stacked in this order, bottom to top; the three add up to the run's simulated time per worker. */
const PARTS = [
  { part: "compute", color: "#4c78a8", pick: (w: WorkerResult) => w.computeTime },
  {
    part: "communication not hidden by compute",
    color: "#f58518",
    pick: (w: WorkerResult) => w.exposedCommTime,
  },
  { part: "idle", color: "#bab0ac", pick: (w: WorkerResult) => w.idleTime },
] as const;

/**
 * Where each worker's time went: compute, communication not hidden behind compute, and idle, as
 * stacked bars. Communication that overlaps a compute is counted once, as compute, so the bar's
 * height is the time the worker lived. Undefined without workers, or when no worker computed or
 * communicated (theory fidelity).
 */
export function timeBreakdownPlot(workers: ReadonlyArray<WorkerResult>): Plot | undefined {
  if (workers.length === 0) return undefined;
  const groups = workerGroups(workers.map((w) => w.id));
  const rows = groups.flatMap((group, order) =>
    PARTS.map(({ part, pick }, stack) => ({
      worker: group.label,
      order,
      part,
      stack,
      seconds: groupMean(group, (i) => pick(workers[i]!)),
    })),
  );
  // All idle (theory fidelity: events take no time) says nothing a bar could show.
  if (!workers.some((w) => w.computeTime > 0 || w.exposedCommTime > 0)) return undefined;
  return {
    name: "time-breakdown",
    title: "Time per worker",
    caption:
      `Compute, communication not hidden behind compute, and idle time, ${groupingNote(groups, workers.length)}. ` +
      "Communication that overlaps a compute counts as compute.",
    spec: {
      title: "Time per worker",
      width: PLOT_WIDTH,
      height: PLOT_HEIGHT,
      data: { values: rows },
      mark: { type: "bar" },
      encoding: {
        x: {
          field: "worker",
          type: "ordinal",
          title: "worker",
          sort: groups.map((g) => g.label),
          axis: { labelAngle: 0, labelOverlap: "parity" },
        },
        y: { field: "seconds", type: "quantitative", title: "simulated seconds", stack: "zero" },
        color: {
          field: "part",
          type: "nominal",
          title: null,
          sort: PARTS.map((p) => p.part),
          scale: { domain: PARTS.map((p) => p.part), range: PARTS.map((p) => p.color) },
        },
        order: { field: "stack", type: "quantitative" },
      },
    },
  };
}
