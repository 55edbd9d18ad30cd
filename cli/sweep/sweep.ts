import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { basename, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../../sim/errors.ts";
import { decodeScenario } from "../../sim/scenario/decode.ts";
import { applySet } from "../../sim/scenario/overrides.ts";
import { ExitCode } from "../exit-codes.ts";
import { loadScenarioFile } from "../load.ts";
import { positiveInteger } from "../positive-integer.ts";
import { parseQueueAddress, probeQueue } from "../queue/connection.ts";
import { svgToPng } from "../report/png.ts";
import { vegaLiteToSvg } from "../report/render.ts";
import { reportError } from "../user-errors.ts";
import type { ChildCommand } from "./child.ts";
import type { Executor, RunOutcome } from "./executor.ts";
import { describePoint, type Grid, parseGrids, type SweepRun, sweepRuns } from "./grid.ts";
import { localPool } from "./local-pool.ts";
import { lockDir } from "./lock.ts";
import { headlineMetrics, isResult } from "./metrics.ts";
import { scalingPlot } from "./plot.ts";
import {
  checkDefinition,
  claimDefinition,
  errorPath,
  prepareDir,
  prepareRunsDir,
  readFinished,
  removeFile,
  resultPath,
  type SweepDefinition,
  writeAtomic,
} from "./store.ts";
import { type RunRecord, runsCsv, summarize, summaryCsv } from "./tables.ts";

export interface SweepOptions {
  readonly file: string;
  /** `path=v1,v2,…`, one per grid. */
  readonly grids: ReadonlyArray<string>;
  /** `path=value` assignments applied to every run, before the grid's. */
  readonly set: ReadonlyArray<string>;
  /** K, as typed (default 1). */
  readonly seeds: string | undefined;
  /** Runs at a time, as typed (default: the number of CPUs). */
  readonly parallel: string | undefined;
  readonly out: string;
  /** The plotted metric (default: distanceToOptimum, else loss, else simTime). */
  readonly metric: string | undefined;
  /** Also write scaling.png next to scaling.svg (`--png`). */
  readonly png?: boolean;
  /** `--queue redis://…`: run on the workers of that Redis queue instead of local processes. */
  readonly queue?: string | undefined;
}

/** What a sweep does to the world besides its folder; tests replace parts of it. */
export interface SweepIo {
  /** Writes one line (newline added) for people. */
  readonly note: (line: string) => void;
  /** The command line of a run; default `node bin/dtsim.js run FILE --set … --seed N --json`. */
  readonly command?: (run: SweepRun, definition: SweepDefinition) => ChildCommand;
  /** Turns a Vega-Lite spec into SVG text (undefined: none drawn); default: cli/report/render.ts's. */
  readonly renderSvg?: (spec: Record<string, unknown>) => Promise<string | undefined>;
  /** Whether to stop on SIGINT and SIGTERM by finishing the CSVs (default true). */
  readonly handleSignals?: boolean;
}

const defaultIo: SweepIo = { note: (line) => process.stderr.write(`${line}\n`) };

const DTSIM = fileURLToPath(new URL("../../bin/dtsim.js", import.meta.url));

/** `dtsim run FILE --set …(the sweep's) --set …(the point's) --seed N --json`, in a fresh Node. */
export function dtsimRunCommand(run: SweepRun, definition: SweepDefinition): ChildCommand {
  const sets = [...definition.sets, ...run.point.assignments].flatMap((a) => ["--set", a]);
  return {
    command: process.execPath,
    args: [DTSIM, "run", definition.file, ...sets, "--seed", String(run.seed), "--json"],
  };
}

/**
 * `dtsim sweep`: checks everything it can before starting (the flags, the file, the first grid point
 * decoded, the folder, the queue's Redis), then runs every run not already finished in DIR, N at a
 * time, each in its own process (or, with --queue, on the queue's workers), and writes the tables and
 * the plot. Resolves to the exit code: 0 when every run succeeded,
 * 1 when some failed (the rest are done; running the command again retries them), 2 for bad input,
 * 70 for a bug; never throws. On SIGINT or SIGTERM it stops its runs, writes the tables of what is
 * done, and then dies of that signal (exit status 130 or 143 in a shell).
 */
export async function runSweep(options: SweepOptions, io: SweepIo = defaultIo): Promise<ExitCode> {
  let release: (() => void) | undefined;
  let outcome: Outcome;
  try {
    const seeds = positiveInteger("--seeds", options.seeds, 1);
    const parallel = positiveInteger("--parallel", options.parallel, availableParallelism());
    if (options.queue !== undefined && options.parallel !== undefined) {
      throw new InputError(
        "--parallel",
        options.parallel,
        "no --parallel with --queue (each worker's --concurrency sets it)",
      );
    }
    const address = options.queue === undefined ? undefined : parseQueueAddress(options.queue);
    const grids = parseGrids(options.grids, options.set);
    const { definition } = checkScenario(options, grids, seeds);
    // Before the folder and its lock: a sweep too big to list is refused with nothing left behind.
    const runs = sweepRuns(grids, seeds, definition.baseSeed);
    if (address !== undefined) {
      const warning = await probeQueue(address);
      if (warning !== undefined) io.note(warning);
    }
    prepareDir(options.out);
    // Checked before the lock is taken (a folder that is not ours gets no .lock), and again under it.
    checkDefinition(options.out, definition);
    release = lockDir(options.out);
    claimDefinition(options.out, definition);
    const runsDir = prepareRunsDir(options.out);
    const executor =
      address === undefined
        ? localPool(parallel, (run) => (io.command ?? dtsimRunCommand)(run, definition))
        : // Imported here: BullMQ loads only for a sweep on a queue.
          (await import("../queue/sweep-queue.ts")).queueExecutor(address, definition, io.note);
    outcome = await execute({ options, io, grids, definition, runs, runsDir, executor });
  } catch (error) {
    const report = reportError(error, process.env.DTSIM_DEBUG === "1");
    io.note(report.text.trimEnd());
    return report.code;
  } finally {
    release?.();
  }
  // Interrupted: the tables are written and the lock released; now end as the signal meant us to
  // (our handler is gone, so this is its default action: the shell sees "killed by SIGINT").
  if (typeof outcome === "string") {
    process.kill(process.pid, outcome);
    return ExitCode.runFailed;
  }
  return outcome;
}

/** An exit code, or the signal that interrupted the sweep. */
type Outcome = ExitCode | NodeJS.Signals;

/** Reads the file, applies the --set and the first point's values, and decodes: any mistake shows here. */
function checkScenario(options: SweepOptions, grids: ReadonlyArray<Grid>, seeds: number) {
  let raw = loadScenarioFile(options.file);
  // The content as parsed: an edited comment or layout changes no result, an edited value does.
  const scenarioSha256 = createHash("sha256").update(JSON.stringify(raw)).digest("hex");
  const first = grids.map((grid) => `${grid.path}=${grid.values[0]!}`);
  for (const assignment of [...options.set, ...first]) {
    if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) raw = applySet(raw, assignment);
  }
  const scenario = decodeScenario(raw, { defaultName: basename(options.file, extname(options.file)) });
  const definition: SweepDefinition = {
    file: resolve(options.file),
    scenarioSha256,
    grids: grids.map(({ path, values }) => ({ path, values })),
    seeds,
    baseSeed: scenario.seed,
    sets: [...options.set],
  };
  return { definition };
}

interface Execution {
  readonly options: SweepOptions;
  readonly io: SweepIo;
  readonly grids: ReadonlyArray<Grid>;
  readonly definition: SweepDefinition;
  readonly runs: ReadonlyArray<SweepRun>;
  readonly runsDir: string;
  readonly executor: Executor;
}

async function execute(x: Execution): Promise<Outcome> {
  const { options, io, grids, runs, runsDir, executor } = x;
  const records: RunRecord[] = runs.map((run) => {
    const result = readFinished(runsDir, run.id);
    return result === undefined ? { run, status: "pending" } : okRecord(run, result);
  });
  const total = runs.length;
  let finished = records.filter((r) => r.status === "ok").length;
  if (finished > 0) io.note(`resuming: ${finished} of ${total} runs already done in ${options.out}`);
  const writeTables = () => {
    writeAtomic(join(options.out, "runs.csv"), runsCsv(grids, records));
    writeAtomic(join(options.out, "summary.csv"), summaryCsv(grids, records));
  };
  writeTables();
  // After a run, the tables are rewritten whole: at most once a second, or a queue handing back
  // thousands of finished runs at once would spend its time rewriting them (quadratic in the runs).
  let lastWrite = performance.now();
  const refreshTables = () => {
    if (performance.now() - lastWrite < 1000) return;
    writeTables();
    lastWrite = performance.now();
  };

  const pending = records.flatMap((r) => (r.status === "pending" ? [r.run] : []));
  // Set by SIGINT or SIGTERM, or by an error in the executor: start nothing more, stop what runs.
  let stopping: NodeJS.Signals | "error" | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    stopping ??= signal;
    executor.stop();
  };
  const handleSignals = io.handleSignals ?? true;
  if (handleSignals) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  const onFinished = (run: SweepRun, outcome: RunOutcome) => {
    const parsed = outcome.ok ? parseResult(outcome.stdout) : undefined;
    // Stopped: a run that finished is kept, one that did not (we killed it) stays pending.
    if (stopping !== undefined && parsed === undefined) return;
    let line: string;
    if (outcome.ok && parsed !== undefined) {
      writeAtomic(resultPath(runsDir, run.id), outcome.stdout);
      removeFile(errorPath(runsDir, run.id));
      records[run.index] = okRecord(run, parsed);
      line = `${outcome.seconds.toFixed(1)} s${outcome.where === undefined ? "" : ` on ${outcome.where}`}`;
    } else {
      const error = outcome.ok ? "the run printed no result JSON" : outcome.error;
      writeAtomic(errorPath(runsDir, run.id), outcome.ok ? `${error}\n` : outcome.detail);
      records[run.index] = { run, status: "failed", error };
      line = `failed after ${outcome.seconds.toFixed(1)} s: ${error}`;
    }
    finished++;
    const where = [describePoint(grids, run.point), `seed=${run.seed}`].filter((s) => s !== "").join(" ");
    io.note(`[${finished}/${total}] ${where}: ${line}`);
    refreshTables();
  };
  try {
    await executor.run(pending, onFinished);
  } catch (error) {
    stopping ??= "error";
    throw error;
  } finally {
    executor.stop();
    if (handleSignals) {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  }
  writeTables();
  const done = records.filter((r) => r.status === "ok").length;
  const failed = records.filter((r) => r.status === "failed").length;
  if (stopping !== undefined && stopping !== "error") {
    io.note(`interrupted (${stopping}): ${done} of ${total} runs done; ${executor.interruptedNote}`);
    return stopping;
  }
  const plotted = await writePlot(x, records);
  const files = ["runs.csv", "summary.csv", ...plotted].map((f) => join(options.out, f)).join(", ");
  io.note(
    failed === 0
      ? `${total} runs done: ${files}`
      : `${failed} of ${total} runs failed (see runs.csv; the same command retries them): ${files}`,
  );
  return failed === 0 ? ExitCode.ok : ExitCode.runFailed;
}

/** Writes scaling.vl.json, scaling.svg (and with --png scaling.png); returns the names written. */
async function writePlot(x: Execution, records: ReadonlyArray<RunRecord>): Promise<string[]> {
  const { options, io, grids } = x;
  const plot = scalingPlot(grids, summarize(records), options.metric);
  if (!plot.ok) {
    io.note(`no scaling plot: ${plot.reason}`);
    return [];
  }
  writeAtomic(join(options.out, "scaling.vl.json"), `${JSON.stringify(plot.spec, null, 2)}\n`);
  const render = io.renderSvg ?? vegaLiteToSvg;
  let svg: string | undefined;
  try {
    svg = await render(plot.spec);
  } catch (error) {
    io.note(`scaling.svg not written: ${error instanceof Error ? error.message : String(error)}`);
    return ["scaling.vl.json"];
  }
  if (svg === undefined) {
    io.note("scaling.svg not written: the renderer drew nothing");
    return ["scaling.vl.json"];
  }
  writeAtomic(join(options.out, "scaling.svg"), svg);
  if (options.png !== true) return ["scaling.vl.json", "scaling.svg"];
  try {
    writeAtomic(join(options.out, "scaling.png"), await svgToPng(svg));
  } catch (error) {
    io.note(`scaling.png not written: ${error instanceof Error ? error.message : String(error)}`);
    return ["scaling.vl.json", "scaling.svg"];
  }
  return ["scaling.vl.json", "scaling.svg", "scaling.png"];
}

function okRecord(run: SweepRun, result: Record<string, unknown>): RunRecord {
  const wallTime = typeof result.wallTime === "number" ? result.wallTime : undefined;
  return { run, status: "ok", metrics: headlineMetrics(result), wallTime };
}

function parseResult(stdout: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(stdout);
    return isResult(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
