import type { DurationStats, MeasuredRun } from "../runtime/measurements.ts";
import { formatSeconds } from "./format.ts";

/**
 * What a real run measured, under its summary (`dtsim execute` without --json): the gradient times
 * (the spread of the workers' means), transfers, collectives, host work and the driver's lateness,
 * each as mean, p50, p90 and count. Lines for operations that never ran are left out.
 */
export function formatMeasured(measured: MeasuredRun): string {
  const stats = (s: DurationStats) =>
    `mean ${formatSeconds(s.mean)}, p50 ${formatSeconds(s.p50)}, p90 ${formatSeconds(s.p90)} (${s.count})`;
  const lines = [`measured (wall clock, ${measured.transport})`];
  const busy = measured.gradients.filter((g) => g.count > 0);
  if (busy.length > 0) {
    const means = busy.map((g) => g.mean);
    const emulated = busy.reduce((a, g) => a + g.emulatedDelay, 0);
    lines.push(
      `  gradient     ${formatSeconds(Math.min(...means))} – ${formatSeconds(Math.max(...means))} mean per worker` +
        (emulated > 0 ? `, ${formatSeconds(emulated)} waited to emulate slower devices` : ""),
    );
  }
  const rows: Array<[string, DurationStats]> = [
    ["transfer", measured.transfers],
    ["collective", measured.collectives],
    ["host work", measured.hostWork],
    ["lateness", measured.lateness],
  ];
  for (const [name, s] of rows) if (s.count > 0) lines.push(`  ${name.padEnd(11)}  ${stats(s)}`);
  return `${lines.join("\n")}\n`;
}
