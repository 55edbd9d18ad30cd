import { Schema } from "effect";
import { modelPresetRegistry } from "../problems/model-presets.ts";
import { derived } from "../registry.ts";
import { integer, oneOf, optional, quantity, withDefault } from "./fields.ts";
import { clusterInput } from "./input/cluster.ts";
import { scheduleInput } from "./input/schedule.ts";
import { devicePresetRegistry } from "./registry/device-presets.ts";
import { layoutRegistry } from "./registry/layouts.ts";
import { networkModelRegistry } from "./registry/network-models.ts";
import { networkPresetRegistry } from "./registry/network-presets.ts";
import { problemInput } from "./registry/problem-kinds.ts";
import { problemRegistry } from "./registry/problems.ts";
import { scheduleRegistry } from "./registry/schedules.ts";
import { topologyRegistry } from "./registry/topologies.ts";

/**
 * The scenario file format. Decoding with it checks shapes, types, units and ranges, rejects unknown
 * fields and fills the simple defaults; resolve.ts then applies the rules that span fields and produces
 * the `Scenario` of types.ts. Every field carries a `description` annotation for generated docs.
 *
 * Derived from the registries (sim/scenario/registry/): rebuilt when one has had an entry added, so a
 * kind registered at run time is decoded like a built-in one.
 */
/** Every registry the scenario schema is derived from. */
export const scenarioRegistries = [
  scheduleRegistry,
  topologyRegistry,
  problemRegistry,
  layoutRegistry,
  networkModelRegistry,
  devicePresetRegistry,
  networkPresetRegistry,
  modelPresetRegistry,
];

export const scenarioInput = derived(scenarioRegistries, () =>
  Schema.Struct({
    // Left out, the name is the file's (the CLI passes it as DecodeOptions.defaultName).
    name: withDefault(Schema.String.annotate({ description: "A label for reports." }), "").annotate({
      defaultWords: "the file's name",
    }),
    seed: withDefault(integer({ min: 0 }, { description: "Root of every random stream." }), 1),
    cluster: clusterInput(),
    schedule: scheduleInput(),
    problem: optional(problemInput()),
    numerics: withDefault(
      oneOf(["real", "shape"], {
        description:
          "real: vectors carry numbers, so loss and consensus are measured; shape: only sizes move (10⁵ workers, billion-parameter models). Model presets (problem.kind preset) are always shape.",
      }),
      "real",
    ),
    stop: withDefault(
      Schema.Struct({
        time: optional(
          quantity("time", {
            description:
              "Simulated-time horizon. Required for gossip-timing, the training schedules, and p2p with a random stream and no count.",
          }),
          { words: "none" },
        ),
        events: optional(integer({ min: 1 }, { description: "Cap on processed events." }), {
          words: "no cap",
        }),
      }).annotate({ description: "When the run ends (besides running out of work)." }),
      {},
    ),
  }).annotate({ description: "A dtsim scenario." }),
);

export type ScenarioInput = ReturnType<typeof scenarioInput>["Type"];

/** Parse options for the scenario schema: unknown fields are errors, and every problem is reported. */
export const scenarioParseOptions = { errors: "all", onExcessProperty: "error" } as const;
