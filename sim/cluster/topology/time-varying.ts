import { InputError } from "../../errors.ts";
import type { Graph } from "./graph.ts";
import { checkNumber } from "./input-checks.ts";

/**
 * A sequence of graphs on the same workers, each in force for `period` seconds, cycling:
 * graphs[⌊t / period⌋ mod graphs.length] holds at time t (DADAO switches every 1/χ1 time units).
 */
export interface TimeVaryingGraph {
  readonly graphs: readonly Graph[];
  /** Seconds each graph holds before the next one takes over. */
  readonly period: number;
}

export function timeVaryingGraph(
  graphs: readonly Graph[],
  period: number,
  path = "topology",
): TimeVaryingGraph {
  checkNumber(
    period,
    `${path}.period`,
    Number.MIN_VALUE,
    Number.POSITIVE_INFINITY,
    "a positive number of seconds",
  );
  const first = graphs[0];
  if (first === undefined) throw new InputError(`${path}.graphs`, [], "at least one graph");
  graphs.forEach((g, i) => {
    if (g.n !== first.n) {
      throw new InputError(
        `${path}.graphs[${i}]`,
        `${g.n} workers`,
        `the same ${first.n} workers as graphs[0]`,
      );
    }
  });
  return { graphs, period };
}

/**
 * Number of switches that have happened by time t ≥ 0: the largest m with m·period ≤ t, where m·period
 * is the floating-point product. A plain ⌊t / period⌋ disagrees with it at about 4% of the switch
 * times (⌊(43 · 0.1) / 0.1⌋ = 42), which would let a switch event scheduled at `nextSwitchTime` still
 * see the old graph.
 */
export function switchesBy(tv: TimeVaryingGraph, t: number): number {
  if (!(t >= 0)) throw new RangeError(`time must be ≥ 0, got ${t}`);
  let m = Math.floor(t / tv.period);
  if ((m + 1) * tv.period <= t) m++;
  else if (m * tv.period > t) m--;
  return m;
}

/** Index of the graph in force at time t ≥ 0. */
export function graphIndexAt(tv: TimeVaryingGraph, t: number): number {
  return switchesBy(tv, t) % tv.graphs.length;
}

/** The graph in force at time t ≥ 0. */
export function graphAt(tv: TimeVaryingGraph, t: number): Graph {
  return tv.graphs[graphIndexAt(tv, t)]!;
}

/** The first time after t at which the next graph takes over (for scheduling the switch event). */
export function nextSwitchTime(tv: TimeVaryingGraph, t: number): number {
  return (switchesBy(tv, t) + 1) * tv.period;
}

export function isTimeVarying(topology: Graph | TimeVaryingGraph): topology is TimeVaryingGraph {
  return "graphs" in topology;
}
