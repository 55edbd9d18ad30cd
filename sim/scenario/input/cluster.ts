import { Schema } from "effect";
import { finite, integer, oneOf, optional, quantity, withDefault } from "../fields.ts";
import { deviceInputPresetNames } from "../presets.ts";
import { topologyInput } from "../registry/topology-kinds.ts";
import { networkInput } from "./network.ts";

/** The cluster as written in a file: devices, their troubles, and the network between them. */

const deviceDocs = {
  peakFlops: { description: "Peak compute rate." },
  efficiency: { description: "Fraction of peak achieved, in (0, 1]." },
  memoryBandwidth: { description: "Memory bandwidth (TB = 10^12 bytes)." },
  memory: { description: "Memory capacity." },
  speed: { description: "Throughput multiplier: 0.25 means 4× slower." },
  duration: { description: "Distribution of each compute's duration around its mean." },
  launchOverhead: {
    description:
      "Fixed time added to every gradient (kernel launches, dispatch round trip); calibrate measures it.",
  },
  cv: {
    description:
      "Coefficient of variation for lognormal and gamma; half-width / mean for uniform (then < 1).",
  },
} as const;

const durationFamilies = ["deterministic", "exponential", "lognormal", "gamma", "uniform"] as const;

const deviceFields = {
  peakFlops: quantity("flopRate", deviceDocs.peakFlops),
  efficiency: finite({ above: 0, atMost: 1 }, deviceDocs.efficiency),
  memoryBandwidth: quantity("bandwidth", deviceDocs.memoryBandwidth),
  memory: quantity("size", deviceDocs.memory),
  speed: finite({ above: 0 }, deviceDocs.speed),
  duration: oneOf(durationFamilies, deviceDocs.duration),
  cv: finite({ above: 0 }, deviceDocs.cv),
  launchOverhead: quantity("time", deviceDocs.launchOverhead, { allowZero: true }),
};

const devicePreset = (description: string) => optional(oneOf(deviceInputPresetNames(), { description }));

// Functions, not constants: `preset` takes the device presets registered when the schema is built.
const deviceInput = () =>
  Schema.Struct({
    preset: devicePreset(
      "A known device (dtsim presets): fills peakFlops, efficiency, memoryBandwidth and memory; the fields given here still win.",
    ),
    peakFlops: withDefault(deviceFields.peakFlops, "100 TFLOP/s"),
    efficiency: withDefault(deviceFields.efficiency, 0.5),
    memoryBandwidth: withDefault(deviceFields.memoryBandwidth, "2 TB/s"),
    memory: withDefault(deviceFields.memory, "80 GB"),
    speed: withDefault(deviceFields.speed, 1),
    duration: withDefault(deviceFields.duration, "deterministic"),
    cv: withDefault(deviceFields.cv, 0.1),
    launchOverhead: withDefault(deviceFields.launchOverhead, "0 s"),
  }).annotate({ description: "Defaults for every device." });

const fromDevice = { words: "cluster.device's" };

const deviceOverrideInput = () =>
  Schema.Struct({
    worker: integer({ min: 0 }, { description: "Which worker this entry overrides (< workers)." }),
    preset: devicePreset(
      "A known device for this worker: fills the four fields it covers that this entry does not give.",
    ),
    peakFlops: optional(deviceFields.peakFlops, fromDevice),
    efficiency: optional(deviceFields.efficiency, fromDevice),
    memoryBandwidth: optional(deviceFields.memoryBandwidth, fromDevice),
    memory: optional(deviceFields.memory, fromDevice),
    speed: optional(deviceFields.speed, fromDevice),
    duration: optional(deviceFields.duration, fromDevice),
    cv: optional(deviceFields.cv, fromDevice),
    launchOverhead: optional(deviceFields.launchOverhead, fromDevice),
  }).annotate({ description: "Device fields that differ for one worker." });

const workerId = integer({ min: 0 }, { description: "A worker id (< workers)." });
const slowdown = finite({ atLeast: 1 }, { description: "Slowdown: computes take this many times longer." });

const StragglerEpisodeInput = Schema.Struct({
  worker: workerId,
  factor: slowdown,
  start: quantity("time", { description: "When the episode starts." }, { allowZero: true }),
  end: quantity("time", { description: "When it ends (> start)." }),
}).annotate({ description: "One worker slowed down over [start, end)." });

const RandomStragglersInput = Schema.Struct({
  rate: finite({ above: 0 }, { description: "Episodes per second per worker (Poisson)." }),
  duration: quantity("time", { description: "Mean episode length (exponentially distributed)." }),
  factor: slowdown,
}).annotate({ description: "Episodes that strike every worker at random." });

const StragglersInput = Schema.Struct({
  episodes: withDefault(Schema.Array(StragglerEpisodeInput).annotate({ description: "Fixed episodes." }), []),
  random: optional(RandomStragglersInput),
}).annotate({ description: "Slow-downs: fixed episodes and/or a random process." });

const FailureInput = Schema.Struct({
  worker: workerId,
  at: quantity("time", { description: "When the worker goes down." }, { allowZero: true }),
  duration: optional(quantity("time", { description: "How long it stays down." }), { words: "forever" }),
}).annotate({ description: "A down interval; work in progress on the worker is lost." });

/** Built from the registries it names (topologies, layouts, presets) each time they change. */
export const clusterInput = () =>
  Schema.Struct({
    // Capped so that a slip (1e9 workers) is refused at once, not by running out of memory while the
    // run is built: ten times the 10⁵ workers the simulator is meant to reach.
    workers: integer({ min: 1, max: 1_000_000 }, { description: "Number of workers (one device each)." }),
    topology: withDefault(
      topologyInput().annotate({
        description: "The logical gossip graph: who may exchange with whom.",
      }),
      { kind: "ring" },
    ),
    device: withDefault(deviceInput(), {}),
    devices: withDefault(
      Schema.Array(deviceOverrideInput()).annotate({
        description: "Per-device overrides, at most one per worker.",
      }),
      [],
    ),
    stragglers: withDefault(StragglersInput, {}),
    failures: withDefault(Schema.Array(FailureInput).annotate({ description: "Down intervals." }), []),
    network: withDefault(networkInput(), {}),
  }).annotate({ description: "The machines and the network between them." });

export type ClusterInput = ReturnType<typeof clusterInput>["Type"];
