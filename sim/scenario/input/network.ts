import { Schema } from "effect";
import { oneOf, optional, quantity, withDefault } from "../fields.ts";
import { layoutRegistry } from "../registry/layouts.ts";
import { networkModelRegistry } from "../registry/network-models.ts";
import { networkPresetRegistry } from "../registry/network-presets.ts";

/**
 * `cluster.network` as written in a file: the fields every layout shares, then each layout's own
 * (sim/scenario/registry/layouts/), all optional here; resolve/network.ts refuses those of a layout
 * not chosen. `model` and `layout` take the registered kinds, the first of each by default.
 */
export const networkInput = () =>
  Schema.Struct({
    preset: optional(
      oneOf(networkPresetRegistry.kinds(), {
        description:
          "A known interconnect (dtsim presets): fills bandwidth and latency; the fields given here still win.",
      }),
    ),
    model: withDefault(
      oneOf(networkModelRegistry.kinds(), { description: listed(networkModelRegistry.entries()) }),
      networkModelRegistry.kinds()[0]!,
    ),
    layout: withDefault(
      oneOf(layoutRegistry.kinds(), { description: listed(layoutRegistry.entries()) }),
      layoutRegistry.kinds()[0]!,
    ),
    bandwidth: withDefault(
      quantity("bandwidth", {
        description: "NIC (switch, hierarchical: between nodes) or cable (graph) bandwidth, each direction.",
      }),
      "10 Gb/s",
    ),
    latency: withDefault(
      quantity(
        "time",
        {
          description:
            "One way: device to device (switch; hierarchical: between nodes) or per cable (graph).",
        },
        { allowZero: true },
      ),
      "5 us",
    ),
    duplex: withDefault(
      oneOf(["full", "half"], {
        description: "full: both directions at full bandwidth at once; half: they share one capacity.",
      }),
      "full",
    ),
    ...layoutFields(),
  }).annotate({ description: "How devices are connected, and how transfers share the wires." });

/** "switch: every NIC into one non-blocking switch; graph: …." */
function listed(entries: ReadonlyArray<{ readonly kind: string; readonly summary: string }>): string {
  return `${entries.map((e) => `${e.kind}: ${e.summary}`).join("; ")}.`;
}

/** Every layout's own fields, each optional; two layoutRegistry naming the same field is a programming error. */
function layoutFields(): Schema.Struct.Fields {
  const fields: Record<string, Schema.Struct.Fields[string]> = {};
  for (const layout of layoutRegistry.entries()) {
    for (const [name, field] of Object.entries(layout.fields)) {
      if (name in fields) throw new Error(`layoutRegistry share the network field ${name} (${layout.kind})`);
      fields[name] = field;
    }
  }
  return fields;
}
