import { Effect } from "effect";
import { Command } from "effect/cli";
import { presetFlopsPerSample } from "../../sim/problems/model-preset.ts";
import { modelPresetRegistry } from "../../sim/problems/model-presets.ts";
import { MACHINE_PRESET, MACHINE_SUMMARY } from "../../sim/scenario/presets.ts";
import { devicePresetRegistry } from "../../sim/scenario/registry/device-presets.ts";
import { networkPresetRegistry } from "../../sim/scenario/registry/network-presets.ts";
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
    devicePresetRegistry
      .entries()
      .map((p) => {
        return [p.kind, p.peakFlops, String(p.efficiency), p.memoryBandwidth, p.memory, p.summary];
      })
      .concat([[MACHINE_PRESET, "measured", "measured", "measured", "measured", MACHINE_SUMMARY]]),
  );
  const networks = renderTable(
    [left("preset"), right("bandwidth"), right("latency"), left("what")],
    networkPresetRegistry.entries().map((p) => {
      return [p.kind, p.bandwidth, p.latency, p.summary];
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
    modelPresetRegistry.entries().map((p) => {
      return [
        p.kind,
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
