import { basename, extname } from "node:path";
import { Effect, Option } from "effect";
import { Argument, Command, Flag } from "effect/cli";
import { InputError } from "../../sim/errors.ts";
import { resultToJson } from "../../sim/result.ts";
import type { ValidationReport } from "../../sim/validate/compare.ts";
import { ExitCode } from "../exit-codes.ts";
import { jsonFlag, profileFlag } from "../flags.ts";
import { formatSeconds } from "../format.ts";
import { loadScenarioFile } from "../load.ts";
import { DEFAULT_PROFILE, readProfile } from "../machine.ts";
import { progressReporter } from "../progress.ts";
import { left, renderTable, right } from "../table.ts";
import { reportFailure } from "../user-errors.ts";

/** `dtsim validate FILE [--profile P] [--repeat N] [--json]`. */
export function validateCommand(done: (code: ExitCode) => void) {
  return Command.make(
    "validate",
    {
      file: Argument.String("FILE").pipe(Argument.withDescription("Scenario file, YAML or JSON")),
      profile: profileFlag(`Calibration profile from dtsim calibrate (default ${DEFAULT_PROFILE})`),
      json: jsonFlag("Print metrics, errors and both results as one JSON object"),
      repeat: Flag.String("repeat").pipe(
        Flag.withMetavar("N"),
        Flag.withDescription("Measure N runtime runs and compare with their medians (default 1)"),
        Flag.withDefault("1"),
      ),
    },
    (input) =>
      Effect.promise(() =>
        validateFile(
          input.file,
          Option.getOrElse(input.profile, () => DEFAULT_PROFILE),
          input.json,
          input.repeat,
        ),
      ).pipe(Effect.map(done)),
  ).pipe(
    Command.withDescription(
      "Run a scenario in the simulator and on real devices (same seed) and print predicted vs measured, with relative errors",
    ),
    Command.withExamples([
      {
        command: "dtsim calibrate && dtsim validate scenarios/validate/gossip-ring8.yaml",
        description: "Validate on this machine",
      },
    ]),
  );
}

async function validateFile(
  file: string,
  profileFile: string,
  json: boolean,
  repeatText: string,
): Promise<ExitCode> {
  const progress = progressReporter(json ? ({ isTTY: false } as NodeJS.WriteStream) : process.stderr);
  try {
    const repeat = Number(repeatText);
    if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100)
      throw new InputError("--repeat", repeatText, "an integer from 1 to 100");
    const profile = readProfile(profileFile);
    const raw = loadScenarioFile(file);
    const { validateScenario } = await import("../../runtime/validate.ts");
    const run = await validateScenario(raw, profile, {
      defaultName: basename(file, extname(file)),
      onProgress: (time, events) => progress.update(time, events),
      repeat,
    });
    progress.done();
    if (json) {
      process.stdout.write(
        `${JSON.stringify({
          scenario: run.scenario.name,
          seed: run.scenario.seed,
          profile: profileFile,
          compute: profile.compute,
          concurrencySlowdown: run.slowdown,
          ...(run.exchangeModel === undefined ? {} : { exchangeModel: run.exchangeModel }),
          ...run.report,
          predicted: resultToJson(run.predicted),
          measured: resultToJson(run.measured),
          ...(run.runs.length > 1 ? { measuredRuns: run.runs.map(resultToJson) } : {}),
        })}\n`,
      );
    } else {
      const head = `${run.scenario.name} (seed ${run.scenario.seed}) on ${profile.compute.kind} (${profile.compute.adapter}); device from ${profileFile}, concurrency slowdown ×${run.slowdown.toFixed(2)}`;
      const exchange = run.exchangeModel;
      const lines =
        exchange === undefined
          ? []
          : [
              `exchanges on this machine: ${exchange.movesPerGradient.toFixed(2)} moves per gradient stretch gradients and moves ×${exchange.stretch.toFixed(2)}; a move takes ≥ ${formatSeconds(exchange.transportSeconds)} (link latency simulated: ${formatSeconds(exchange.latency)})`,
            ];
      process.stdout.write(`${[head, ...lines, ...formatReport(run.report)].join("\n")}\n`);
    }
    return ExitCode.ok;
  } catch (error) {
    progress.done();
    return reportFailure(error);
  }
}

const show = (v: number) =>
  Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(4) : v.toExponential(3);
const percent = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : "—");

/**
 * The metrics as a table, then the averages the validation targets speak of. With several runs the
 * measured column is their median and a column gives their range.
 */
export function formatReport(report: ValidationReport): string[] {
  const runs = report.metrics[0]?.measuredRuns?.length ?? 1;
  const range = (m: ValidationReport["metrics"][number]) =>
    m.measuredRuns === undefined
      ? ""
      : `${show(Math.min(...m.measuredRuns))} – ${show(Math.max(...m.measuredRuns))}`;
  const table = renderTable(
    [
      left("metric"),
      right("predicted"),
      right(runs > 1 ? `measured (median of ${runs})` : "measured"),
      ...(runs > 1 ? [right("range")] : []),
      right("rel. error"),
    ],
    report.metrics.map((m) => [
      m.name,
      show(m.predicted),
      show(m.measured),
      ...(runs > 1 ? [range(m)] : []),
      percent(m.relativeError),
    ]),
  );
  return [
    ...table,
    `time-based metrics: average error ${percent(report.averageError)}, maximum ${percent(report.maxError)}`,
    `all metrics (loss included): average ${percent(report.averageErrorAll)}, maximum ${percent(report.maxErrorAll)}`,
  ];
}
