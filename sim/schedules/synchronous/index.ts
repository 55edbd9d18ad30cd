import type { ScheduleDefinition } from "../worker.ts";
import { acco } from "./acco.ts";
import { allreduceSgd } from "./allreduce-sgd.ts";
import type { SynchronousParams } from "./common.ts";
import { dpu } from "./dpu.ts";
import { zero1 } from "./zero1.ts";

/**
 * The synchronous data-parallel family of ACCO's paper [reference §4]: DDP (allreduce-sgd), ZeRO-1,
 * DPU and ACCO. All four average over the group of all workers, with ring collectives, and report per
 * worker `microBatches`, `steps`, `microBatchesPerStep` and `extraMicroBatches` (DPU and ACCO also
 * `rounds`); memory by category follows ACCO's Table 1 (see common.ts, `declaredState`).
 */
export type { SynchronousParams } from "./common.ts";

export type SynchronousKind = "allreduce-sgd" | "zero1" | "dpu" | "acco";

export const synchronous: Record<SynchronousKind, ScheduleDefinition<SynchronousParams>> = {
  "allreduce-sgd": allreduceSgd,
  zero1,
  dpu,
  acco,
};
