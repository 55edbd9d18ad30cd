import type { ClusterInput } from "../input/cluster.ts";
import { networkPresetValues } from "../presets.ts";
import { layoutRegistry } from "../registry/layouts.ts";
import type { NetworkSpec } from "../types.ts";
import type { Problems } from "./problems.ts";
import { withPreset } from "./with-preset.ts";

/**
 * `cluster.network`: its preset applied, the fields of every layout but the chosen one refused, and
 * the chosen layout's own fields resolved by its entry (sim/scenario/registry/layouts/).
 */
export function resolveNetwork(
  given: ClusterInput["network"],
  workers: number,
  problems: Problems,
): NetworkSpec {
  const path = ["cluster", "network"];
  const input = withPreset(given, networkPresetValues, path, problems);
  for (const other of layoutRegistry.entries()) {
    if (other.kind === input.layout) continue;
    for (const field of Object.keys(other.fields)) {
      if (problems.has([...path, field]))
        problems.add([...path, field], `no ${field} unless layout is ${other.kind}`);
    }
  }
  return {
    layout: input.layout,
    model: input.model,
    bandwidth: input.bandwidth,
    latency: input.latency,
    duplex: input.duplex,
    ...layoutRegistry.get(input.layout).resolve(input, { workers, path, problems }),
  };
}
