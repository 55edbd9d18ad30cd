import { buildPlatformFor } from "../sim/assemble/network.ts";
import {
  type CalibrationProfile,
  exchangeStretch,
  type MachineExchanges,
  machineDevice,
  machineExchanges,
  machineKey,
  slowdownFor,
} from "../sim/calibration/profile.ts";
import { routeBottleneck, routeLatency } from "../sim/cluster/network/route-metrics.ts";
import { RandomStreams } from "../sim/engine/index.ts";
import type { RunResult } from "../sim/result.ts";
import { decodeScenario } from "../sim/scenario/decode.ts";
import type { DevicePresetValues } from "../sim/scenario/presets.ts";
import type { Scenario } from "../sim/scenario/types.ts";
import {
  combineReports,
  compareResults,
  gradientCounter,
  type ValidationReport,
} from "../sim/validate/compare.ts";
import { backendFromEnvironment } from "./gpu/dawn.ts";
import { placeWorkers, runPlaced } from "./placement.ts";
import type { RuntimeResult } from "./run.ts";

/**
 * Prediction against measurement for one scenario: the scenario decoded with "this machine" from the
 * calibration profile (its problem kind's fit, stretched by the measured slowdown for its worker
 * count), run in the simulator and on the runtime with the same seed, on the compute the profile was
 * measured with; then the metrics side by side.
 */
export interface ValidationRun {
  readonly scenario: Scenario;
  readonly predicted: RunResult;
  /** The first runtime run (`runs` has them all). */
  readonly measured: RuntimeResult;
  readonly runs: readonly RuntimeResult[];
  /** Prediction against the runs' medians, metric by metric. */
  readonly report: ValidationReport;
  /** The concurrency slowdown applied to the device (1: none). */
  readonly slowdown: number;
  /** How the machine's carrying of exchanges changed the prediction, when the profile measured it. */
  readonly exchangeModel?: ExchangeModel;
}

export interface ExchangeModel {
  /** Vector moves per gradient in the first simulation. */
  readonly movesPerGradient: number;
  /** The factor applied to the gradient time (`exchangeStretch`). */
  readonly stretch: number;
  /** The network latency simulated (seconds): the scenario's, or raised to the transport's floor. */
  readonly latency: number;
  /** Seconds of one move on the transport in this run: measured under compute load, times `stretch`. */
  readonly transportSeconds: number;
}

export interface ValidateOptions {
  readonly defaultName?: string;
  readonly onPhase?: (phase: "simulate" | "runtime") => void;
  readonly onProgress?: (time: number, events: number) => void;
  /** One OS process per worker (default), or every worker in this process. */
  readonly processes?: boolean;
  /** Runtime runs to measure (default 1); the report compares the prediction with their medians. */
  readonly repeat?: number;
}

export async function validateScenario(
  raw: unknown,
  profile: CalibrationProfile,
  options: ValidateOptions = {},
): Promise<ValidationRun> {
  const { problemKind, workers } = machineKey(raw);
  const decode = (machine: DevicePresetValues) =>
    decodeScenario(raw, {
      machine,
      ...(options.defaultName === undefined ? {} : { defaultName: options.defaultName }),
    });
  options.onPhase?.("simulate");
  // Imported here so that the runtime's modules load without the simulator's run when unused.
  const { runScenario } = await import("../sim/run.ts");
  const machine = machineDevice(profile, problemKind, workers);
  let scenario = decode(machine);
  let predicted = runScenario(scenario);
  const exchanges = machineExchanges(profile, workers, problemKind);
  const exchangeModel =
    exchanges === undefined ? undefined : exchangeLoadOf(predicted, scenario, workers, exchanges);
  if (exchangeModel !== undefined) {
    // The same run, on a machine whose cores also carry the moves, with links no faster than the
    // transport under load: one more simulation (the stretch does not change moves per gradient).
    const { stretch, latency } = exchangeModel;
    const stretched = decode(machineDevice(profile, problemKind, workers, stretch));
    scenario = {
      ...stretched,
      cluster: { ...stretched.cluster, network: { ...stretched.cluster.network, latency } },
    };
    predicted = runScenario(scenario);
  }
  options.onPhase?.("runtime");
  // The backend the profile was measured on (its adapter line starts with it), else the environment's.
  const measuredOn = profile.compute.adapter.split(":")[0];
  const backend =
    measuredOn === "vulkan" || measuredOn === "opengles" ? measuredOn : backendFromEnvironment();
  const repeat = options.repeat ?? 1;
  const runs: RuntimeResult[] = [];
  for (let r = 1; r <= repeat; r++) {
    // Fresh workers each time: one run's processes and devices do not carry into the next.
    const placement = await placeWorkers(scenario, {
      device: profile.compute.kind,
      processes: options.processes ?? true,
      backend,
    });
    runs.push(await runPlaced(scenario, placement, options.onProgress));
  }
  return {
    scenario,
    predicted,
    measured: runs[0]!,
    runs,
    report: combineReports(runs.map((measured) => compareResults(predicted, measured))),
    slowdown: slowdownFor(profile, workers, problemKind),
    ...(exchangeModel === undefined ? {} : { exchangeModel }),
  };
}

/**
 * The exchange side of the this-machine model, from a first simulation of the scenario: how many
 * vector moves each gradient brings (ρ, point-to-point sends over gradients), the stretch of a gradient
 * when the cores carry them too (`exchangeStretch`), and the link latency that makes a move on the
 * scenario's route 0 → 1 take at least the transport's time under load (the runtime completes a send
 * when both the shaped link and the transport are done). That time is the move measured while the k
 * workers compute, stretched like the gradients: on processor-shared cores the moves' own CPU time
 * slows everything the cores carry by the same factor, the moves included. Undefined when nothing is
 * sent. Approximations, said where they are made: processor sharing (no scheduling delays), and one
 * route's mean move time standing for every route's.
 */
function exchangeLoadOf(
  first: RunResult,
  scenario: Scenario,
  workers: number,
  exchanges: MachineExchanges,
): ExchangeModel | undefined {
  let moves = 0;
  let bytes = 0;
  let gradients = 0;
  let computeSeconds = 0;
  const counter = gradientCounter(first);
  for (const w of first.workers) {
    moves += w.counts.messagesSent ?? 0;
    bytes += w.bytesSent;
    gradients += w.counts[counter] ?? 0;
    computeSeconds += w.computeTime;
  }
  if (moves === 0 || gradients === 0) return undefined;
  const movesPerGradient = moves / gradients;
  const stretch = exchangeStretch(
    computeSeconds / gradients,
    movesPerGradient,
    workers,
    exchanges.exchangesPerSecond,
  );
  const network = scenario.cluster.network;
  const platform = buildPlatformFor(network, workers, new RandomStreams(scenario.seed));
  const route = platform.route(0, 1 % workers);
  const routeSeconds = routeLatency(platform, route);
  // The transport's time is taken as the same for this run's vectors as for the calibrated ones
  // (`exchangeBytes`): small vectors on loopback cost wake-ups, not bytes.
  const transportSeconds = exchanges.exchangeSeconds * stretch;
  const floor = transportSeconds - bytes / moves / routeBottleneck(platform, route);
  const latency =
    routeSeconds > 0 && floor > routeSeconds ? (network.latency * floor) / routeSeconds : network.latency;
  return { movesPerGradient, stretch, latency, transportSeconds };
}
