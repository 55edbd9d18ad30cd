import type { Platform } from "../../cluster/network/platform.ts";
import type { RandomStreams } from "../../engine/index.ts";
import type { RegistryEntry } from "../../registry.ts";
import type { Path, Problems } from "../resolve/problems.ts";
import type { NetworkSpec } from "../types.ts";

/**
 * A physical layout of `cluster.network.layout`: how devices are wired. One file in layouts/, one line
 * in layouts.ts. Its `fields` are the network fields only it takes (optional in the file: another
 * layout refuses them, by name, so two layouts never share one); `resolve` fills in their defaults and
 * checks them, `build` makes the `Platform` (sim/cluster/network/) the network model runs on.
 */
export interface LayoutContext {
  readonly workers: number;
  /** ["cluster", "network"]. */
  readonly path: Path;
  readonly problems: Problems;
}

export interface LayoutEntry extends RegistryEntry {
  /**
   * The layout's own part of the decoded `cluster.network` spec: its fields from `input` (the network
   * section as decoded, presets applied), defaults filled in, problems reported to `context.problems`.
   */
  readonly resolve: (input: { readonly [field: string]: unknown }, context: LayoutContext) => object;
  /** The platform on `workers` devices; random draws from `streams` only; InputErrors under `path`. */
  readonly build: (spec: NetworkSpec, workers: number, streams: RandomStreams, path: string) => Platform;
}
