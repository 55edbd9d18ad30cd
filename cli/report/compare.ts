import { InputError } from "../../sim/errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { makeDirectory } from "../make-directory.ts";
import { writeText } from "../out-files.ts";
import { headlineMetrics } from "../sweep/metrics.ts";
import { renderTable } from "../table.ts";
import { reportFailure } from "../user-errors.ts";
import { buildCompareReport, comparePlots } from "./compare-report.ts";
import { compareTable, type LabelledRun, runLabels } from "./compare-table.ts";
import { readRunDirectory } from "./read-result.ts";
import { renderPlots } from "./render-plots.ts";

export interface CompareOptions {
  /** Run directories of `dtsim run --out`. */
  readonly dirs: ReadonlyArray<string>;
  /** Where compare.html goes, if anywhere. */
  readonly out: string | undefined;
  readonly json: boolean;
}

/**
 * `dtsim compare DIR…`: reads every DIR/result.json first (one bad directory: its one-line error, exit
 * 2, nothing printed), then prints their summaries side by side (or, with --json, each run's headline
 * metrics), and with --out writes compare.html. Never throws.
 */
export async function runCompare(options: CompareOptions): Promise<ExitCode> {
  try {
    if (options.dirs.length === 0) throw new InputError("DIR", undefined, "one or more run directories");
    const directories = options.dirs.map(readRunDirectory);
    const labels = runLabels(options.dirs);
    const runs: LabelledRun[] = directories.map((d, i) => ({ label: labels[i]!, result: d.result }));
    if (options.out !== undefined) {
      try {
        makeDirectory(options.out);
      } catch (error) {
        throw new InputError("--out", options.out, `a folder dtsim can create (${(error as Error).message})`);
      }
      const plots = await renderPlots(comparePlots(runs));
      writeText(options.out, "compare.html", buildCompareReport(runs, plots));
    }
    if (options.json) {
      const report = directories.map((d, i) => ({
        label: labels[i],
        dir: d.dir,
        scenario: d.result.scenario,
        seed: d.result.seed,
        metrics: Object.fromEntries(headlineMetrics(d.json)),
      }));
      process.stdout.write(`${JSON.stringify({ runs: report }, null, 2)}\n`);
    } else {
      const table = compareTable(runs);
      process.stdout.write(`${renderTable(table.columns, table.rows).join("\n")}\n`);
    }
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(error);
  }
}
