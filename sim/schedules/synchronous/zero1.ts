import { accumulation, optimizerInput, trainingFields } from "../../scenario/params/training.ts";
import { defineSchedule, modelIsX } from "../definition.ts";
import type { ScheduleProcess } from "../worker.ts";
import { declaredState, Replica, type SynchronousParams, synchronousParams } from "./common.ts";

/**
 * ZeRO-1 (optimizer-state sharding; ACCO's main baseline, ideal form) [reference §4.1, §4.3, §6.6]:
 * every step each worker accumulates `accumulation` micro-batch gradients; a ring reduce-scatter
 * leaves on each worker the sum over the group of its shard (`shardOf`); it divides by n·accumulation,
 * steps its shard of the parameters with its shard of the optimizer state, and a ring all-gather
 * brings every worker every shard. Per worker and step: RS + AG = 2(n−1)/n·Ψ·B bytes sent, the same as
 * DDP's all-reduce; memory (2+2+K/N)Ψ (Table 1's ZeRO-1 row).
 *
 * The authors' baseline (DDP + PyTorch's ZeroRedundancyOptimizer) all-reduces the gradients and then
 * broadcasts each updated shard from its owner: 1.5× these bytes [reference §4.3]. This is the ideal
 * form the ZeRO paper describes; the same numbers, fewer bytes.
 */
export const zero1 = defineSchedule({
  kind: "zero1",
  summary: "ZeRO-1: optimizer state sharded across workers.",
  description: "Reduce-scatter of gradients, optimizer step on the local shard, all-gather of parameters.",
  fields: { optimizer: optimizerInput, accumulation, ...trainingFields },
  params: synchronousParams,
  state: (_params: SynchronousParams) => declaredState(false),
  start(worker, params) {
    const replica = new Replica(worker, params.optimizer, "sharded", false, params.accumulation);
    worker.spawn(`zero1-${worker.rank}`, zero1Worker(replica, params.accumulation));
    return modelIsX(worker);
  },
});

function* zero1Worker(r: Replica, accumulation: number): ScheduleProcess {
  const { worker } = r;
  const scale = 1 / (worker.workers * accumulation);
  for (;;) {
    yield* r.accumulate(accumulation);
    yield worker.reduceScatter(r.group, r.g);
    worker.kernels.scale(r.g, scale);
    // Steps every coordinate of x, but only the shard is right (see `Replica`); the all-gather
    // overwrites the others with their owners' shards.
    yield* r.optimizerStep(r.x, r.g);
    yield worker.allGather(r.group, r.x);
    r.reportStep(accumulation);
  }
}
