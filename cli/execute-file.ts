import { basename, extname } from "node:path";
import { InputError } from "../sim/errors.ts";
import { resultToJson } from "../sim/result.ts";
import { decodeScenario } from "../sim/scenario/decode.ts";
import { ExitCode } from "./exit-codes.ts";
import { machineFor } from "./machine.ts";
import { formatMeasured } from "./measured-summary.ts";
import { progressReporter } from "./progress.ts";
import { effectiveInput } from "./run-file.ts";
import { formatSummary } from "./summary.ts";
import { reportFailure } from "./user-errors.ts";

export type ExecuteDevice = "cpu" | "webgpu";

export interface ExecuteFileOptions {
  readonly file: string;
  readonly set: ReadonlyArray<string>;
  readonly seed: string | undefined;
  readonly json: boolean;
  readonly device: ExecuteDevice;
  /** One OS process per worker, over TCP, instead of all in this one. */
  readonly processes: boolean;
}

/**
 * `dtsim execute`: the scenario's training schedule run for real, in wall-clock time, with gradients
 * on `--device`. Prints the simulator's summary (or its JSON, plus `measured`). One line on stderr and
 * an exit code for every failure, as `dtsim run`.
 */
export async function executeFile(options: ExecuteFileOptions): Promise<ExitCode> {
  const progress = progressReporter(process.stderr, "ran");
  try {
    const raw = effectiveInput(options);
    // The device's numbers are not used for timing here (real devices are), but `this-machine` must
    // decode: from dtsim-profile.json when present.
    const machine = machineFor(raw, undefined);
    const scenario = decodeScenario(raw, {
      defaultName: basename(options.file, extname(options.file)),
      ...(machine === undefined ? {} : { machine }),
    });
    // Imported here: --help and input errors never load the engine or Dawn.
    const { placeWorkers, runPlaced } = await import("../runtime/placement.ts");
    const placement = await placeWorkers(scenario, {
      device: options.device,
      processes: options.processes,
    }).catch((error: unknown) => {
      if (error instanceof Error && error.name === "GpuUnavailableError")
        throw new InputError(
          "--device",
          options.device,
          `a WebGPU adapter on this machine (${error.message})`,
        );
      throw error;
    });
    const result = await runPlaced(scenario, placement, progress.update);
    progress.done();
    process.stdout.write(
      options.json
        ? `${JSON.stringify(resultToJson(result), null, 2)}\n`
        : `${formatSummary(result)}\n${formatMeasured(result.measured)}`,
    );
    // A dead worker: its report, after everything measured until then (printed above), and code 1.
    for (const crash of result.crashes ?? []) {
      const how = crash.signal ?? `exit code ${crash.exitCode}`;
      process.stderr.write(
        `worker ${crash.worker} crashed (${how}) at ${crash.at.toFixed(3)} s: the run stopped there; the results above are up to that moment\n`,
      );
    }
    return result.crashes === undefined ? ExitCode.ok : ExitCode.runFailed;
  } catch (error) {
    progress.done();
    return reportFailure(error);
  }
}
