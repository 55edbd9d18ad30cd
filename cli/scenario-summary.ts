import type { Scenario } from "../sim/scenario/types.ts";
import { formatScaled, formatSeconds } from "./format.ts";

/** "64 workers, schedule gossip-timing, topology ring, …": what the file amounts to, in one line. */
export function describeScenario(scenario: Scenario): string {
  const { cluster, schedule, problem, stop } = scenario;
  const parts = [`${cluster.workers} worker${cluster.workers === 1 ? "" : "s"}`];
  parts.push(`schedule ${schedule.kind}${schedule.trains ? ` (${schedule.fidelity})` : ""}`);
  if (problem !== undefined) {
    parts.push(`problem ${problem.kind === "preset" ? `preset ${problem.model}` : problem.kind}`);
    parts.push(`numerics ${scenario.numerics}`);
  }
  parts.push(`topology ${cluster.topology.kind}`);
  const { peakFlops, efficiency } = cluster.device;
  const overridden = cluster.devices.length;
  parts.push(
    `devices ${formatScaled(peakFlops, "FLOP/s")} × ${efficiency}${overridden > 0 ? ` (${overridden} overridden)` : ""}`,
  );
  const network = cluster.network;
  parts.push(
    `${network.layout} network ${formatScaled(network.bandwidth, "B/s")}, ${formatSeconds(network.latency)}, ${network.model}`,
  );
  parts.push(stop.time === undefined ? "no time limit" : `stop at ${formatSeconds(stop.time)}`);
  return parts.join(", ");
}
