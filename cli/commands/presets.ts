import { Effect } from "effect";
import { Command } from "effect/cli";
import { modelPresets, presetFlopsPerSample, presetModels } from "../../sim/problems/presets.ts";
import {
  devicePresetNames,
  devicePresets,
  MACHINE_PRESET,
  MACHINE_SUMMARY,
  networkPresetNames,
  networkPresets,
} from "../../sim/scenario/presets.ts";
import { ExitCode } from "../exit-codes.ts";
import { formatBytes, formatCount, formatScaled } from "../format.ts";
import { left, renderTable, right } from "../table.ts";

/** `dtsim presets`. */
export function presetsCommand(done: (code: ExitCode) => void) {
  return Command.make("presets", {}, () =>
    Effect.sync(() => {
      process.stdout.write(formatPresets());
      done(ExitCode.ok);
    }),
  ).pipe(
    Command.withDescription(
      "List the device, network and model presets a scenario can name, with their numbers",
    ),
  );
}

/** The three preset tables, from the modules that define them. */
export function formatPresets(): string {
  const devices = renderTable(
    [
      left("preset"),
      right("peakFlops"),
      right("efficiency"),
      right("memoryBandwidth"),
      right("memory"),
      left("what"),
    ],
    devicePresetNames
      .map((name) => {
        const p = devicePresets[name];
        return [name, p.peakFlops, String(p.efficiency), p.memoryBandwidth, p.memory, p.summary];
      })
      .concat([[MACHINE_PRESET, "measured", "measured", "measured", "measured", MACHINE_SUMMARY]]),
  );
  const networks = renderTable(
    [left("preset"), right("bandwidth"), right("latency"), left("what")],
    networkPresetNames.map((name) => {
      const p = networkPresets[name];
      return [name, p.bandwidth, p.latency, p.summary];
    }),
  );
  const models = renderTable(
    [
      left("model"),
      right("parameters"),
      right("FLOPs/sample"),
      right("bytes/value"),
      right("micro-batch"),
      right("sequence"),
      left("what"),
    ],
    presetModels.map((name) => {
      const p = modelPresets[name];
      return [
        name,
        formatCount(p.parameters),
        formatScaled(presetFlopsPerSample(p), "FLOP"),
        formatBytes(p.bytesPerValue),
        String(p.microBatch),
        p.family === "transformer" ? String(p.sequenceLength) : "-",
        p.name,
      ];
    }),
  );
  return [
    "Device presets (cluster.device.preset, cluster.devices[].preset): fill the four fields below; fields the file gives win",
    ...devices,
    "",
    "Network presets (cluster.network.preset): fill bandwidth (each direction) and latency (one way); typical figures",
    ...networks,
    "",
    "Model presets (problem: { kind: preset, model: … }): shape-only; batchSize and sequenceLength can be overridden",
    ...models,
    "",
  ].join("\n");
}
