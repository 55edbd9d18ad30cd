// Writes docs/scenario-reference.md from the scenario schema (`npm run docs`). Every row comes from the
// schema's annotations (sim/scenario/reference.ts) or from the preset and unit modules, so the page
// says what the decoder accepts; test/scenario/reference-docs.test.ts fails when the committed page
// differs from what this script produces.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatBytes, formatCount, formatScaled } from "../cli/format.ts";
import { presetFlopsPerSample } from "../sim/problems/model-preset.ts";
import { modelPresetRegistry } from "../sim/problems/model-presets.ts";
import { MACHINE_PRESET, MACHINE_SUMMARY } from "../sim/scenario/presets.ts";
import {
  type FieldDoc,
  type KindDoc,
  problemKinds,
  scenarioFields,
  scheduleKinds,
  topologyKinds,
} from "../sim/scenario/reference.ts";
import { devicePresetRegistry } from "../sim/scenario/registry/device-presets.ts";
import { networkPresetRegistry } from "../sim/scenario/registry/network-presets.ts";
import { isTraining } from "../sim/scenario/resolve/schedule.ts";
import { describeQuantity, type QuantityKind } from "../sim/scenario/units.ts";

export const referencePath = join(import.meta.dirname, "..", "docs", "scenario-reference.md");

/** The whole page. */
export function renderScenarioReference(): string {
  const fields = scenarioFields();
  const cluster = fields.filter((f) => f.path === "cluster" || f.path.startsWith("cluster."));
  const topLevel = fields.filter((f) => !cluster.includes(f));
  const schedules = scheduleKinds();
  return [
    "# Scenario reference",
    "",
    "<!-- Generated from the scenario schema (sim/scenario/) by scripts/scenario-docs.ts: do not edit by hand,",
    "     run `npm run docs`. A test fails when this page differs from what the script writes. -->",
    "",
    "Every field a scenario file (YAML or JSON) accepts. `dtsim check FILE` checks a file against it without",
    "running it; `dtsim schedules` and `dtsim presets` print the schedule kinds and the presets.",
    "",
    "- **Paths** are dotted; `[]` stands for every element of a list. Error messages and `--set` spell an",
    "  element by its index: `cluster.devices.0.speed`.",
    "- **Default**: the value a field takes when left out, as it would be written in the file; words where",
    "  another field or the run decides it; **required**: the file must give it; —: none.",
    "- **Quantities** take their unit written out; a plain number is in the base unit shown in the type.",
    "",
    ...quantityList(),
    "",
    "## Contents",
    "",
    "- [Top level](#top-level)",
    "- [cluster](#cluster), with the [device presets](#device-presets) and [network presets](#network-presets)",
    "- [Topologies](#topologies-clustertopologykind)",
    "- [Schedules](#schedules-schedulekind)",
    "- [Problems](#problems-problemkind), with the [model presets](#model-presets)",
    "",
    "## Top level",
    "",
    ...fieldTable(topLevel),
    "",
    "## cluster",
    "",
    ...fieldTable(cluster),
    "",
    "### Device presets",
    "",
    "`cluster.device.preset` (or one worker's `cluster.devices[].preset`) fills the four fields below; a",
    "field the file gives itself wins. Sources are cited in `sim/scenario/registry/device-presets/`.",
    "",
    ...table(
      ["preset", "peakFlops", "efficiency", "memoryBandwidth", "memory", "what"],
      devicePresetRegistry
        .entries()
        .map((p) => {
          return [code(p.kind), p.peakFlops, String(p.efficiency), p.memoryBandwidth, p.memory, p.summary];
        })
        .concat([[code(MACHINE_PRESET), "measured", "measured", "measured", "measured", MACHINE_SUMMARY]]),
    ),
    "",
    "### Network presets",
    "",
    "`cluster.network.preset` fills `bandwidth` (each direction) and `latency` (one way); typical figures, not",
    "measurements of a given cluster.",
    "",
    ...table(
      ["preset", "bandwidth", "latency", "what"],
      networkPresetRegistry.entries().map((p) => {
        return [code(p.kind), p.bandwidth, p.latency, p.summary];
      }),
    ),
    "",
    "## Topologies (`cluster.topology.kind`)",
    "",
    "The logical gossip graph. `cluster.network.topology` (the cables, layout `graph`) and each of",
    "`time-varying`'s `graphs` take the same kinds, bar `time-varying`; their fields are then under that path.",
    "",
    ...topologyKinds().flatMap((kind) => kindSection(kind, "###", "cluster.topology")),
    "## Schedules (`schedule.kind`)",
    "",
    "### Traffic (timing only)",
    "",
    "Timing only: they move bytes and spend compute time, and train nothing (no `problem`).",
    "",
    ...schedules.filter((k) => !isTraining(k)).flatMap((kind) => kindSection(kind, "####", "schedule")),
    "### Training schedules",
    "",
    "They train the scenario's `problem` and need `stop.time`.",
    "",
    ...schedules.filter((k) => isTraining(k)).flatMap((kind) => kindSection(kind, "####", "schedule")),
    "## Problems (`problem.kind`)",
    "",
    "What a training schedule trains.",
    "",
    ...problemKinds().flatMap((kind) => kindSection(kind, "###", "problem")),
    "### Model presets",
    "",
    "`problem: { kind: preset, model: … }`: shape-only models (sizes and costs, no numbers). FLOPs per sample",
    "count one forward and backward pass; sources are cited in `sim/problems/model-presets/`.",
    "",
    ...table(
      ["model", "parameters", "FLOPs/sample", "bytes/value", "micro-batch", "sequence", "what"],
      modelPresetRegistry.entries().map((p) => {
        return [
          code(p.kind),
          formatCount(p.parameters),
          formatScaled(presetFlopsPerSample(p), "FLOP"),
          formatBytes(p.bytesPerValue),
          String(p.microBatch),
          p.family === "transformer" ? String(p.sequenceLength) : "—",
          p.name,
        ];
      }),
    ),
    "",
  ].join("\n");
}

const QUANTITIES: ReadonlyArray<readonly [QuantityKind, string]> = [
  ["bandwidth", "bandwidth"],
  ["time", "time"],
  ["size", "size"],
  ["flopRate", "FLOP rate"],
  ["flops", "FLOP count"],
];

/** One bullet per kind of quantity, in the words the decoder's errors use. */
function quantityList(): string[] {
  return QUANTITIES.map(([kind, name]) => {
    const words = describeQuantity(kind, { allowZero: true }).replace(/^a non-negative /, "");
    const examples = words.slice(words.indexOf(" such as ") + " such as ".length);
    return `  - ${name}: ${examples}`;
  });
}

function kindSection(kind: KindDoc, heading: string, root: string): string[] {
  const lines = [`${heading} \`${kind.kind}\``, "", `${kind.summary} ${kind.description}`.trim(), ""];
  if (kind.fields.length === 0) return [...lines, "No fields besides `kind`.", ""];
  const fields = kind.fields.map((f) => ({ ...f, path: `${root}.${f.path}` }));
  return [...lines, ...fieldTable(fields), ""];
}

function fieldTable(fields: ReadonlyArray<FieldDoc>): string[] {
  return table(
    ["field", "type", "default", "description"],
    fields.map((f) => [code(f.path), f.type, defaultCell(f), describeField(f)]),
  );
}

function describeField(field: FieldDoc): string {
  if (field.kinds === undefined) return field.description;
  const where = field.path.startsWith("schedule")
    ? "[Schedules](#schedules-schedulekind)"
    : field.path.startsWith("problem")
      ? "[Problems](#problems-problemkind)"
      : "[Topologies](#topologies-clustertopologykind)";
  return `${field.description} Kinds: see ${where}.`;
}

function defaultCell(field: FieldDoc): string {
  if (field.required) return "**required**";
  if (field.fallback === undefined) return "—";
  return "written" in field.fallback ? code(field.fallback.written) : field.fallback.words;
}

function code(text: string): string {
  return `\`${text}\``;
}

/** A Markdown table; `|` inside a cell is escaped. */
function table(headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string[] {
  const line = (cells: ReadonlyArray<string>) =>
    `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(referencePath, renderScenarioReference());
  process.stderr.write(`wrote ${referencePath}\n`);
}
