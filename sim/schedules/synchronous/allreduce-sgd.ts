import type { Operations, ScheduleDefinition, ScheduleProcess } from "../operations.ts";
import { declaredState, Replica, type SynchronousParams } from "./common.ts";

/**
 * Synchronous data parallelism (PyTorch DDP), θ^{t+1} = Opt(θ^t, (1/ΣN_i) Σ_i g_i(θ^t)) [reference §4.1]:
 * every step each worker accumulates `accumulation` micro-batch gradients, the group all-reduces their
 * sum (ring), every worker divides by n·accumulation and applies the same optimizer step to its full
 * replica (optimizer state not sharded: (2+2+K)Ψ per device, Table 1's DDP row).
 *
 * Buckets (`buckets` > 1, systems mode): as DDP does, the last micro-batch's backward hands its
 * gradient over in `buckets` slices, each all-reduced as soon as it is ready while the backward goes
 * on, one collective at a time (one NCCL stream). The forward takes the first third of the
 * gradient's time (2 of the 6 FLOPs per parameter and token), the backward the rest; bucket b < B−1 is
 * ready after 1/3 + (2/3)(b+1)/B of the device's mean gradient time, the last when the gradient
 * completes. Earlier micro-batches of the step communicate nothing (DDP's no_sync). Numbers: the
 * simulator computes the whole gradient when the micro-batch starts, so each bucket reduces its own
 * slice of the finished gradient; only the timing follows the backward.
 */
export const allreduceSgd: ScheduleDefinition<SynchronousParams> = {
  kind: "allreduce-sgd",
  summary: "synchronous data parallelism (DDP): all-reduce of the gradients, the same step everywhere",
  state: () => declaredState(false),
  start(ops, params) {
    for (let w = 0; w < ops.workers; w++) {
      const replica = new Replica(ops, w, params.optimizer, "replicated", false, params.accumulation);
      ops.spawn(`ddp-${w}`, ddpWorker(ops, replica, params));
    }
    return { model: (w, out) => ops.kernels.copy(out, ops.vector(w, "x")) };
  },
};

function* ddpWorker(ops: Operations, r: Replica, params: SynchronousParams): ScheduleProcess {
  const { accumulation } = params;
  const buckets = ops.fidelity === "systems" ? Math.min(params.buckets, ops.problem.dimension) : 1;
  const scale = 1 / (ops.workers * accumulation);
  for (;;) {
    if (buckets === 1) {
      yield* r.accumulate(accumulation);
      yield ops.allReduce(r.w, r.group, r.g, "sum");
    } else {
      yield* r.accumulate(accumulation - 1);
      yield* bucketedLastMicroBatch(ops, r, accumulation === 1, buckets);
    }
    ops.kernels.scale(r.g, scale);
    yield* r.optimizerStep(r.x, r.g);
    r.reportStep(accumulation);
  }
}

/** The last micro-batch of a step, its gradient all-reduced bucket by bucket during the backward. */
function* bucketedLastMicroBatch(
  ops: Operations,
  r: Replica,
  first: boolean,
  buckets: number,
): ScheduleProcess {
  const { w, g, micro } = r;
  const d = ops.problem.dimension;
  const start = ops.now();
  const mean = ops.meanGradientTime(w);
  const backward = ops.gradient(w, r.x, first ? g : micro);
  // The numbers are there once the gradient is issued (see the module comment): accumulate them now.
  if (!first) ops.kernels.axpy(g, 1, micro);
  for (let b = 0; b < buckets; b++) {
    if (b < buckets - 1) {
      const ready = start + mean * (1 / 3 + ((2 / 3) * (b + 1)) / buckets);
      if (ready > ops.now() && !backward.done) yield ops.sleep(ready - ops.now());
    } else {
      yield backward;
      ops.count(w, "microBatches");
    }
    yield ops.allReduce(w, r.group, g, "sum", ops.shardOf(b, buckets, d));
  }
}
