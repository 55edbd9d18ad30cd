import { accumulation, optimizerInput, trainingFields, warmupSteps } from "../../scenario/params/training.ts";
import { defineSchedule } from "../definition.ts";
import { declaredState, type SynchronousParams, synchronousParams } from "./common.ts";
import { type RoundPolicy, startTwoStreams } from "./two-streams.ts";

/**
 * DPU, the delayed parameter update of ZeRO-Offload, as ACCO's paper compares it [reference §4.1]:
 * θ^{t+1} = Opt(θ^t, ḡ^t) runs (communication and sharded optimizer step, on the communication
 * stream of two-streams.ts) while the compute stream computes the next gradients at θ^t, so the
 * gradients a step uses were computed at θ^{t−1}: a one-step delay. Every round is a real step, and
 * the compute stream restarts from zero after every hand-over. Workers keep accumulating micro-batches
 * until the communication finishes. `warmupSteps` synchronous steps first. Start (as the code's):
 * one micro-batch at θ⁰ seeds the buffer and is kept in g, so with deterministic gradients
 * θ¹ = θ⁰ − η∇f(θ⁰), θ² = θ¹ − η∇f(θ⁰), then θ^{t+1} = θ^t − η∇f(θ^{t−1}) (plain SGD).
 *
 * The authors' `train_dpu` differs in two ways we do not follow: it runs the round after the
 * accumulation on one stream (no overlap: it emulates DPU's numbers, not its timing), and it reuses
 * ACCO's buffer update with the step index, which keeps the gradients after every odd step (so every
 * other step reuses the previous group).
 */
const dpuRounds: RoundPolicy = {
  tentative: () => false,
  keepsGradients: () => false,
  nominalMicroBatches: (accumulation) => accumulation,
};

export const dpu = defineSchedule({
  kind: "dpu",
  summary: "Delayed parameter update (ZeRO-Offload's DPU).",
  description: "The optimizer step runs while the next gradients are computed: a one-step delay.",
  fields: { optimizer: optimizerInput, accumulation, warmupSteps, ...trainingFields },
  params: synchronousParams,
  state: (_params: SynchronousParams) => declaredState(true),
  start: (worker, params) => startTwoStreams(worker, params, dpuRounds, "dpu"),
});
