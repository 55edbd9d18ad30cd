/** The topology package: graph families (the scenario picks one through sim/scenario/registry/topologies.ts), connectivity and spectra. */
export * from "./circulant-spectrum.ts";
export * from "./classic-graphs.ts";
export * from "./connectivity.ts";
export * from "./custom-edges.ts";
export * from "./erdos-renyi.ts";
export * from "./exponential-graph.ts";
export * from "./graph.ts";
export * from "./hierarchical.ts";
export { MAX_TOPOLOGY_EDGES } from "./input-checks.ts";
export * from "./random-geometric.ts";
export * from "./random-regular.ts";
export * from "./spectra.ts";
export * from "./time-varying.ts";
export * from "./torus.ts";
