import { Registry } from "../../registry.ts";
import type { LayoutEntry } from "./layout-entry.ts";
import { graphLayout } from "./layouts/graph.ts";
import { hierarchicalLayout } from "./layouts/hierarchical.ts";
import { switchLayout } from "./layouts/switch.ts";

/**
 * The physical layoutRegistry a scenario may name in `cluster.network.layout`; the first is the default. A
 * new one is one file in layouts/ (see layout-entry.ts) and one line here, or `layoutRegistry.add(entry)`.
 */
export const layoutRegistry = new Registry<LayoutEntry>("physical layout", [
  switchLayout,
  graphLayout,
  hierarchicalLayout,
]);
