import type { MemoryResult } from "../../sim/result.ts";
import { formatBytes } from "../format.ts";
import { PLOT_HEIGHT, PLOT_WIDTH, type Plot } from "./plot.ts";
import { groupingNote, groupMean, workerGroups } from "./worker-groups.ts";

const GB = 1e9;

/**
 * Each device's peak memory, stacked by what it held at that peak (parameters, gradients, optimizer
 * state, buffers: the categories add up to the peak), with a red tick at its capacity. Undefined when
 * no device held anything (timing-only schedules).
 */
export function memoryPlot(memory: ReadonlyArray<MemoryResult>): Plot | undefined {
  if (!memory.some((m) => m.peak > 0)) return undefined;
  const groups = workerGroups(memory.map((m) => m.worker));
  // Categories no device used stay out of the legend.
  const categories = [...new Set(memory.flatMap((m) => Object.keys(m.peakByCategory)))].filter((c) =>
    memory.some((m) => (m.peakByCategory[c] ?? 0) > 0),
  );
  const bars = groups.flatMap((group, order) =>
    categories.map((category, stack) => ({
      worker: group.label,
      order,
      category,
      stack,
      gb: groupMean(group, (i) => (memory[i]!.peakByCategory[category] ?? 0) / GB),
    })),
  );
  const capacities = groups.map((group) => ({
    worker: group.label,
    capacity: groupMean(group, (i) => memory[i]!.capacity / GB),
  }));
  const over = memory.filter((m) => m.outOfMemory).length;
  const peak = memory.reduce((a, b) => (b.peak > a.peak ? b : a));
  // A capacity far above every peak would flatten the bars to nothing: then it is only told.
  const smallest = Math.min(...memory.map((m) => m.capacity));
  const drawCapacity = peak.peak >= smallest / 4;
  const x = {
    field: "worker",
    type: "ordinal",
    title: "worker",
    sort: groups.map((g) => g.label),
    axis: { labelAngle: 0, labelOverlap: "parity" },
  };
  return {
    name: "memory",
    title: "Memory per device",
    caption:
      `Peak memory per device by category (GB, 10⁹ bytes), ${groupingNote(groups, memory.length)}` +
      (drawCapacity ? "; the red tick is the device's capacity. " : ". ") +
      `Highest peak ${formatBytes(peak.peak)} of ${formatBytes(peak.capacity)} (worker ${peak.worker})` +
      (over > 0 ? `; ${over} device${over === 1 ? "" : "s"} out of memory.` : "."),
    spec: {
      title: "Memory per device",
      width: PLOT_WIDTH,
      height: PLOT_HEIGHT,
      layer: [
        {
          data: { values: bars },
          mark: { type: "bar" },
          encoding: {
            x,
            y: { field: "gb", type: "quantitative", title: "GB", stack: "zero" },
            color: { field: "category", type: "nominal", title: null, sort: categories },
            order: { field: "stack", type: "quantitative" },
          },
        },
        ...(drawCapacity
          ? [
              {
                data: { values: capacities },
                mark: { type: "tick", color: "#d62728", thickness: 2 },
                encoding: { x, y: { field: "capacity", type: "quantitative" } },
              },
            ]
          : []),
      ],
    },
  };
}
