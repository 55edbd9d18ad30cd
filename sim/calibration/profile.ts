import { Exit, Schema } from "effect";
import { InputError } from "../errors.ts";
import { issuesToInputErrors } from "../scenario/issues.ts";
import type { DevicePresetValues } from "../scenario/presets.ts";

/**
 * What `dtsim calibrate` measured on a machine, written as JSON and read back by `--profile FILE`:
 * the raw measurements (kernels, dispatch latency, host↔device copies, gradients, shaped links, TCP)
 * and the device numbers fitted from them that the `this-machine` preset fills in.
 *
 * Gradient fits are per problem kind: a logistic regression of 20 parameters and an MLP reach very
 * different fractions of the matmul peak, and one efficiency for both would mispredict one of them.
 * `concurrency` is the slowdown of one worker's gradients when k workers compute at once on this
 * machine (a 2-core machine shares its cores; a real cluster would not): validate applies the entry
 * for the scenario's worker count, and says so.
 */

const positive = Schema.Number.check(Schema.isGreaterThan(0));
const nonNegative = Schema.Number.check(Schema.isGreaterThanOrEqualTo(0));

const KernelMeasurement = Schema.Struct({
  kernel: Schema.String,
  size: positive,
  seconds: positive,
  /** FLOP/s for compute-bound kernels, bytes/s for memory-bound ones. */
  rate: positive,
  unit: Schema.Literals(["FLOP/s", "B/s"]),
  /** The same work by a single-threaded Float32Array loop, same unit. */
  plainLoopRate: Schema.optional(positive),
});

const GradientMeasurement = Schema.Struct({
  problem: Schema.String,
  dimension: positive,
  batch: positive,
  flops: positive,
  /** Median seconds per gradient, one worker alone. */
  seconds: positive,
});

const GradientFit = Schema.Struct({
  /** Fraction of `device.peakFlops` the problem's gradients reach once launched. */
  efficiency: positive,
  /** Seconds per gradient whatever its size. */
  launchOverhead: nonNegative,
});

const Concurrency = Schema.Struct({
  problem: Schema.String,
  workers: positive,
  slowdown: positive,
  /**
   * Standard deviation over mean of single gradient times while the k compute at once (reported, not
   * used by this-machine: see machineDevice).
   */
  cv: Schema.optional(positive),
  /** Vector moves per second between the k worker processes, nothing else running. */
  exchangesPerSecond: Schema.optional(positive),
  /** Seconds of one move while all k compute; and the bytes moved. */
  exchangeSeconds: Schema.optional(positive),
  exchangeBytes: Schema.optional(positive),
});

export const CalibrationProfile = Schema.Struct({
  format: Schema.Literal("dtsim-calibration/1"),
  measuredAt: Schema.String,
  machine: Schema.Struct({ cpu: Schema.String, cores: positive, memory: positive, node: Schema.String }),
  /** What computed: "webgpu" (with the adapter) or "cpu". */
  compute: Schema.Struct({ kind: Schema.Literals(["webgpu", "cpu"]), adapter: Schema.String }),
  kernels: Schema.Array(KernelMeasurement),
  /** One tiny dispatch + readback round trip, seconds (absent for cpu). */
  dispatchLatency: Schema.optional(nonNegative),
  hostToDevice: Schema.optional(positive),
  deviceToHost: Schema.optional(positive),
  gradients: Schema.Array(GradientMeasurement),
  fits: Schema.Record(Schema.String, GradientFit),
  concurrency: Schema.Array(Concurrency),
  device: Schema.Struct({ peakFlops: positive, memoryBandwidth: positive, memory: positive }),
  link: Schema.optional(
    Schema.Struct({
      latency: nonNegative,
      bandwidth: positive,
      bytes: positive,
      predictedSeconds: positive,
      measuredSeconds: positive,
    }),
  ),
  tcp: Schema.optional(Schema.Struct({ bytes: positive, seconds: positive, bytesPerSecond: positive })),
  /**
   * The host's optimizer step (AdamW with the CPU kernels), in the schedules' byte accounting: the
   * runtime runs every worker's step on one host thread. Absent in profiles written before it existed.
   */
  hostStep: Schema.optional(
    Schema.Struct({
      optimizer: Schema.String,
      parameters: positive,
      seconds: positive,
      bytesPerSecond: positive,
    }),
  ),
});
export type CalibrationProfile = typeof CalibrationProfile.Type;

const decode = Schema.decodeUnknownExit(CalibrationProfile);

/** The profile in `raw` (parsed JSON); throws the first problem as an InputError under `where`. */
export function decodeProfile(raw: unknown, where: string): CalibrationProfile {
  const exit = decode(raw, { onExcessProperty: "ignore" });
  if (Exit.isSuccess(exit)) return exit.value;
  const error = exit.cause.reasons.find((r) => r._tag === "Fail")?.error;
  const first = error === undefined ? undefined : issuesToInputErrors(error.issue, raw)[0];
  if (first === undefined)
    throw new InputError(where, raw, "a dtsim calibration profile (dtsim calibrate --out FILE)");
  throw new InputError(`${where}: ${first.path}`, first.value, first.expected);
}

/**
 * Least-squares fit of seconds = overhead + flops / rate over gradient measurements of one problem
 * kind (at several batch sizes). With one measurement, or sizes too alike to separate the two terms,
 * the overhead is 0 and the rate is the measured one. A negative intercept (noise) is clamped to 0.
 */
export function fitGradients(
  measurements: readonly { readonly flops: number; readonly seconds: number }[],
  peakFlops: number,
): { efficiency: number; launchOverhead: number } {
  const n = measurements.length;
  const meanF = measurements.reduce((s, m) => s + m.flops, 0) / n;
  const meanT = measurements.reduce((s, m) => s + m.seconds, 0) / n;
  let sff = 0;
  let sft = 0;
  for (const m of measurements) {
    sff += (m.flops - meanF) ** 2;
    sft += (m.flops - meanF) * (m.seconds - meanT);
  }
  const slope = sff > 0 ? sft / sff : 0;
  let overhead = meanT - slope * meanF;
  let secondsPerFlop = slope;
  if (!(slope > 0) || overhead < 0) {
    overhead = 0;
    secondsPerFlop = meanT / meanF;
  }
  return { efficiency: 1 / (secondsPerFlop * peakFlops), launchOverhead: overhead };
}

/**
 * The concurrency entry of `problemKind` for `workers` (the problem kind's entries, else the first kind
 * measured; the nearest measured count at or below `workers`), if any.
 */
function concurrencyEntry(
  profile: CalibrationProfile,
  workers: number,
  problemKind: string | undefined,
): CalibrationProfile["concurrency"][number] | undefined {
  const kinds = new Set(profile.concurrency.map((c) => c.problem));
  const kind =
    problemKind !== undefined && kinds.has(problemKind) ? problemKind : profile.concurrency[0]?.problem;
  let best: CalibrationProfile["concurrency"][number] | undefined;
  for (const c of profile.concurrency) {
    if (c.problem !== kind) continue;
    if (c.workers <= workers && (best === undefined || c.workers > best.workers)) best = c;
  }
  return best;
}

/** The concurrency slowdown of `problemKind` for `workers` (`concurrencyEntry`; 1 when none). */
export function slowdownFor(profile: CalibrationProfile, workers: number, problemKind?: string): number {
  return concurrencyEntry(profile, workers, problemKind)?.slowdown ?? 1;
}

/** How this machine's runtime carries vector moves among `workers` worker processes, when measured. */
export interface MachineExchanges {
  /** Moves per second the machine sustains with nothing else running. */
  readonly exchangesPerSecond: number;
  /** Seconds of one move of `exchangeBytes` while every worker computes. */
  readonly exchangeSeconds: number;
  readonly exchangeBytes: number;
}

export function machineExchanges(
  profile: CalibrationProfile,
  workers: number,
  problemKind?: string,
): MachineExchanges | undefined {
  const c = concurrencyEntry(profile, workers, problemKind);
  if (c?.exchangesPerSecond === undefined || c.exchangeSeconds === undefined || c.exchangeBytes === undefined)
    return undefined;
  return {
    exchangesPerSecond: c.exchangesPerSecond,
    exchangeSeconds: c.exchangeSeconds,
    exchangeBytes: c.exchangeBytes,
  };
}

/**
 * How much longer a gradient takes when this machine's cores also carry `movesPerGradient` vector
 * moves per gradient of each of `workers` workers, a gradient taking `gradientSeconds` with the cores
 * shared by gradients alone. Processor sharing: the CPU time of gradients and of moves adds up, so the
 * machine's k/t_k gradients per second become 1 / (t_k/k + ρ/X) and a gradient takes
 * t_k + ρ·k/X, that is a stretch of 1 + ρ·k / (X·t_k), X being the moves per second it sustains alone.
 */
export function exchangeStretch(
  gradientSeconds: number,
  movesPerGradient: number,
  workers: number,
  exchangesPerSecond: number,
): number {
  return 1 + (movesPerGradient * workers) / (exchangesPerSecond * gradientSeconds);
}

/**
 * The `this-machine` device for a run of `problemKind` with `workers` workers: the profile's peak and
 * memory; the problem kind's fitted efficiency and launch overhead (the first fit when the kind was not
 * measured), both stretched by the measured slowdown when `workers` share it, and by `stretch` on top
 * (validate's: the cores also carry the vector moves, `exchangeStretch`). Memory-bound work (an
 * optimizer step) runs where the runtime keeps the vectors, on the host, one thread doing it for every
 * worker in turn: each worker gets 1/workers of the measured host step rate. A profile without that
 * measurement falls back on the device's axpy bandwidth.
 *
 * The measured spread of gradient times (`cv`) is not turned into a duration distribution: tried as
 * lognormal on the validation set, it made the synchronous step (the slowest of k draws) too long,
 * because the sim draws each worker's time independently while slowdowns on shared cores hit every
 * worker at once. A scenario can still ask for it (`duration: lognormal`, `cv`).
 */
export function machineDevice(
  profile: CalibrationProfile,
  problemKind: string | undefined,
  workers: number,
  stretch = 1,
): DevicePresetValues {
  const fits = profile.fits;
  const fit = (problemKind === undefined ? undefined : fits[problemKind]) ?? Object.values(fits)[0];
  const slowdown = slowdownFor(profile, workers, problemKind) * stretch;
  // The rate gradients really reach; above the matmul peak (possible for a CPU compute, whose "peak"
  // is a plain loop) it becomes the peak, at efficiency 1, rather than an efficiency above 1.
  const rate = ((fit?.efficiency ?? 1) * profile.device.peakFlops) / slowdown;
  const peakFlops = Math.max(profile.device.peakFlops, rate);
  return {
    peakFlops,
    memoryBandwidth:
      profile.hostStep === undefined
        ? profile.device.memoryBandwidth
        : profile.hostStep.bytesPerSecond / workers,
    memory: profile.device.memory,
    efficiency: rate / peakFlops,
    launchOverhead: (fit?.launchOverhead ?? 0) * slowdown,
  };
}

function field(raw: unknown, ...path: string[]): unknown {
  let value: unknown = raw;
  for (const key of path)
    value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/**
 * What the this-machine device depends on, read from a raw scenario before it is decoded (a bad value
 * there is reported by the decode itself): its problem kind and worker count (undefined / 1 when absent).
 */
export function machineKey(raw: unknown): { problemKind: string | undefined; workers: number } {
  const kind = field(raw, "problem", "kind");
  const workers = field(raw, "cluster", "workers");
  return {
    problemKind: typeof kind === "string" ? kind : undefined,
    workers: typeof workers === "number" ? workers : 1,
  };
}
