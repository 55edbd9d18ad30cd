import { integer, withDefault } from "../../scenario/fields.ts";
import { accumulation, optimizerInput, trainingFields } from "../../scenario/params/training.ts";
import { defineSchedule, modelIsX } from "../definition.ts";
import type { ScheduleProcess } from "../worker.ts";
import { declaredState, Replica, type SynchronousParams, synchronousParams } from "./common.ts";

/**
 * Synchronous data parallelism (PyTorch DDP), θ^{t+1} = Opt(θ^t, (1/ΣN_i) Σ_i g_i(θ^t)) [reference §4.1]:
 * every step each worker accumulates `accumulation` micro-batch gradients, the group all-reduces their
 * sum (ring), every worker divides by n·accumulation and applies the same optimizer step to its full
 * replica (optimizer state not sharded: (2+2+K)Ψ per device, Table 1's DDP row).
 *
 * Buckets (`buckets` > 1): as DDP does, the last micro-batch's backward hands its
 * gradient over in `buckets` slices, each all-reduced as soon as it is ready while the backward goes
 * on, one collective at a time (one NCCL stream). The forward takes the first third of the
 * gradient's time (2 of the 6 FLOPs per parameter and token), the backward the rest; bucket b < B−1 is
 * ready after 1/3 + (2/3)(b+1)/B of the device's mean gradient time, the last when the gradient
 * completes. Earlier micro-batches of the step communicate nothing (DDP's no_sync). Numbers: the
 * simulator computes the whole gradient when the micro-batch starts, so each bucket reduces its own
 * slice of the finished gradient; only the timing follows the backward.
 */
export const allreduceSgd = defineSchedule({
  kind: "allreduce-sgd",
  summary: "Synchronous data parallelism (DDP).",
  description: "Every step: gradients, an all-reduce of their mean, the same optimizer step everywhere.",
  fields: {
    optimizer: optimizerInput,
    accumulation,
    buckets: withDefault(
      integer(
        { min: 1 },
        { description: "Gradient buckets all-reduced as the backward pass produces them (1: after it)." },
      ),
      1,
    ),
    ...trainingFields,
  },
  params: synchronousParams,
  state: (_params: SynchronousParams) => declaredState(false),
  start(worker, params) {
    const replica = new Replica(worker, params.optimizer, "replicated", false, params.accumulation);
    worker.spawn(`ddp-${worker.rank}`, ddpWorker(replica, params));
    return modelIsX(worker);
  },
});

function* ddpWorker(r: Replica, params: SynchronousParams): ScheduleProcess {
  const { worker } = r;
  const { accumulation } = params;
  const buckets = Math.min(params.buckets, worker.problem.dimension);
  const scale = 1 / (worker.workers * accumulation);
  for (;;) {
    if (buckets === 1) {
      yield* r.accumulate(accumulation);
      yield worker.allReduce(r.group, r.g, "sum");
    } else {
      yield* r.accumulate(accumulation - 1);
      yield* bucketedLastMicroBatch(r, accumulation === 1, buckets);
    }
    worker.kernels.scale(r.g, scale);
    yield* r.optimizerStep(r.x, r.g);
    r.reportStep(accumulation);
  }
}

/**
 * The last micro-batch of a step, its gradient all-reduced bucket by bucket during the backward. The
 * buckets are timed from the start of the compute slot: in the theory backend the slot is the
 * gradient's whole unit of time and the gradient is instantaneous, so every bucket is ready when it
 * completes and they go back to back.
 */
function* bucketedLastMicroBatch(r: Replica, first: boolean, buckets: number): ScheduleProcess {
  const { worker, g, micro } = r;
  const d = worker.problem.dimension;
  const start = worker.now();
  const mean = worker.meanGradientTime();
  yield* worker.computeSlot("periodic");
  const backward = worker.gradient(r.x, first ? g : micro);
  // The numbers are there once the gradient is issued (see the module comment): accumulate them now.
  if (!first) worker.kernels.axpy(g, 1, micro);
  for (let b = 0; b < buckets; b++) {
    if (b < buckets - 1) {
      const ready = start + mean * (1 / 3 + ((2 / 3) * (b + 1)) / buckets);
      if (ready > worker.now() && !backward.done) yield worker.sleep(ready - worker.now());
    } else {
      yield backward;
      worker.count("microBatches");
    }
    yield worker.allReduce(r.group, g, "sum", worker.shardOf(b, buckets, d));
  }
}
