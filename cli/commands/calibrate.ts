import { writeFileSync } from "node:fs";
import { Effect, Option } from "effect";
import { Command, Flag } from "effect/cli";
import { COMPUTE_CHOICES } from "../../runtime/gpu/dawn.ts";
import type { CalibrationProfile } from "../../sim/calibration/profile.ts";
import { InputError } from "../../sim/errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { formatScaled, formatSeconds } from "../format.ts";
import { DEFAULT_PROFILE } from "../machine.ts";
import { isTerminal } from "../progress.ts";
import { left, renderTable, right } from "../table.ts";
import { reportFailure } from "../user-errors.ts";

/** `dtsim calibrate [--backend auto|vulkan|opengles|cpu] [--out FILE] [--quick] [--json]`. */
export function calibrateCommand(done: (code: ExitCode) => void) {
  return Command.make(
    "calibrate",
    {
      backend: Flag.String("backend").pipe(
        Flag.withMetavar("auto|vulkan|opengles|cpu"),
        Flag.withDescription(
          "What computes: a WebGPU backend (auto: Vulkan where a driver accepts it, else OpenGL ES) or cpu",
        ),
        Flag.withDefault("auto"),
      ),
      out: Flag.String("out").pipe(
        Flag.withMetavar("FILE"),
        Flag.withDescription(`Where to write the profile (default ${DEFAULT_PROFILE})`),
        Flag.optional,
      ),
      quick: Flag.Boolean("quick").pipe(
        Flag.withDescription("Small sizes and few repetitions: seconds instead of a minute, rougher numbers"),
        Flag.withDefault(false),
      ),
      json: Flag.Boolean("json").pipe(
        Flag.withDescription("Print the profile as JSON instead of the summary"),
        Flag.withDefault(false),
      ),
    },
    (input) =>
      Effect.promise(() =>
        calibrateToFile(
          input.backend,
          Option.getOrElse(input.out, () => DEFAULT_PROFILE),
          input.quick,
          input.json,
        ),
      ).pipe(Effect.map(done)),
  ).pipe(
    Command.withDescription(
      "Measure this machine (kernels, dispatch, copies, gradients, concurrency, a shaped link, TCP, the host's optimizer step) and write a profile for --profile and the this-machine preset",
    ),
    Command.withExamples([
      {
        command: "dtsim calibrate",
        description: `Measure with the default backend, write ${DEFAULT_PROFILE}`,
      },
      { command: "dtsim calibrate --backend cpu --out cpu.json", description: "Gradients on the host CPU" },
    ]),
  );
}

async function calibrateToFile(
  backend: string,
  out: string,
  quick: boolean,
  json: boolean,
): Promise<ExitCode> {
  try {
    const choice = COMPUTE_CHOICES.find((c) => c === backend);
    if (choice === undefined)
      throw new InputError("--backend", backend, `one of ${COMPUTE_CHOICES.join(" | ")}`);
    // Imported here: --help must not load Dawn.
    const { calibrate } = await import("../../runtime/calibration/calibrate.ts");
    const started = performance.now();
    const showProgress = !json && isTerminal(process.stderr);
    const profile = await calibrate({
      compute: choice,
      quick,
      progress: (line) => {
        if (showProgress) process.stderr.write(`calibrate: ${line}\n`);
      },
    });
    writeFileSync(out, `${JSON.stringify(profile, null, 2)}\n`);
    if (json) process.stdout.write(`${JSON.stringify(profile)}\n`);
    else process.stdout.write(formatProfile(profile, out, (performance.now() - started) / 1000));
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(error);
  }
}

/** The profile's headline numbers, as a table a person reads. */
export function formatProfile(profile: CalibrationProfile, file: string, seconds: number): string {
  const rows: string[][] = [];
  for (const k of profile.kernels) {
    const unit = k.unit === "FLOP/s" ? "FLOP/s" : "B/s";
    const ratio = k.plainLoopRate === undefined ? "" : `${(k.rate / k.plainLoopRate).toFixed(2)}×`;
    rows.push([`${k.kernel} ${k.size}`, formatScaled(k.rate, unit), ratio]);
  }
  if (profile.dispatchLatency !== undefined)
    rows.push(["dispatch + readback", formatSeconds(profile.dispatchLatency), ""]);
  if (profile.hostToDevice !== undefined)
    rows.push(["host → device", formatScaled(profile.hostToDevice, "B/s"), ""]);
  if (profile.deviceToHost !== undefined)
    rows.push(["device → host", formatScaled(profile.deviceToHost, "B/s"), ""]);
  for (const [kind, fit] of Object.entries(profile.fits)) {
    rows.push([
      `gradient fit, ${kind}`,
      `${formatSeconds(fit.launchOverhead)} + flops / ${formatScaled(fit.efficiency * profile.device.peakFlops, "FLOP/s")}`,
      "",
    ]);
  }
  const worst = profile.concurrency.reduce(
    (a, c) => (c.workers > a.workers ? c : a),
    profile.concurrency[0]!,
  );
  rows.push([
    `${worst.workers} workers at once (${worst.problem})`,
    `×${worst.slowdown.toFixed(2)} per gradient${worst.cv === undefined ? "" : ` (cv ${worst.cv.toFixed(2)})`}`,
    "",
  ]);
  if (profile.link !== undefined)
    rows.push([
      "shaped link",
      `${formatSeconds(profile.link.measuredSeconds)} measured`,
      `${formatSeconds(profile.link.predictedSeconds)} predicted`,
    ]);
  if (profile.tcp !== undefined)
    rows.push(["TCP between processes", formatScaled(profile.tcp.bytesPerSecond, "B/s"), ""]);
  if (profile.hostStep !== undefined)
    rows.push([
      `host optimizer step (${profile.hostStep.optimizer}, ${profile.hostStep.parameters} values)`,
      formatScaled(profile.hostStep.bytesPerSecond, "B/s"),
      "",
    ]);
  const table = renderTable([left("measured"), right("value"), right("vs plain loop / model")], rows);
  const head = `calibrated ${profile.compute.kind} (${profile.compute.adapter}) in ${formatSeconds(seconds)}`;
  return `${[head, ...table, `wrote ${file}`].join("\n")}\n`;
}
