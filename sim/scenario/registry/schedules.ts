import { Registry } from "../../registry.ts";
import { a2cid2 } from "../../schedules/a2cid2.ts";
import { dadao } from "../../schedules/dadao.ts";
import type { ScheduleDefinition } from "../../schedules/definition.ts";
import { gossip } from "../../schedules/gossip.ts";
import { acco } from "../../schedules/synchronous/acco.ts";
import { allreduceSgd } from "../../schedules/synchronous/allreduce-sgd.ts";
import { dpu } from "../../schedules/synchronous/dpu.ts";
import { zero1 } from "../../schedules/synchronous/zero1.ts";
import { allreduce } from "../../traffic/allreduce.ts";
import { gossipTiming } from "../../traffic/gossip-timing.ts";
import { p2p } from "../../traffic/p2p.ts";
import type { TrafficEntry } from "../../traffic/traffic-entry.ts";

/** What `schedule.kind` names: a training algorithm (sim/schedules/) or traffic (sim/traffic/). */
export type ScheduleEntry = ScheduleDefinition | TrafficEntry;

/**
 * Everything a scenario may run, in the reference's order: traffic first, then the training
 * algorithms. A new one is one file (sim/schedules/<kind>.ts or sim/traffic/<kind>.ts) and one line
 * here, or `scheduleRegistry.add(entry)` at run time.
 */
export const scheduleRegistry = new Registry<ScheduleEntry>("schedule", [
  allreduce,
  p2p,
  gossipTiming,
  gossip,
  a2cid2,
  dadao,
  allreduceSgd,
  zero1,
  dpu,
  acco,
]);
