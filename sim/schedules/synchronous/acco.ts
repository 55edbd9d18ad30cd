import { accumulation, optimizerInput, trainingFields, warmupSteps } from "../../scenario/params/training.ts";
import { defineSchedule } from "../definition.ts";
import { declaredState, type SynchronousParams, synchronousParams } from "./common.ts";
import { type RoundPolicy, startTwoStreams } from "./two-streams.ts";

/**
 * ACCO, "Accumulate while you communicate" (Nabli, Fournier, Erbacher, Serrano, Belilovsky, Oyallon;
 * arXiv 2406.02613), as its code runs it [reference §4.1–4.2; `trainer_decoupled.py`, read at 3bf1114].
 * Two streams per worker (see two-streams.ts): the communication stream runs rounds of count
 * all-reduce + reduce-scatter + sharded optimizer step + all-gather while the compute stream keeps
 * accumulating micro-batches; they meet after each group of `accumulation` micro-batches once the
 * round has finished.
 *
 * Rounds alternate (k = 0, 1, 2… counted from the start):
 * - even k, tentative (stage 1): θ̃^{t+1} = Opt(θ^t, g̃^t/Ñ^t) from the first half-batch g̃^t, computed at
 *   θ̃^t; the master shard and the optimizer state (AdamW's m, v and step) are snapshotted before and
 *   restored after, so nothing is committed. Meanwhile the compute stream computes g^t at θ^t.
 * - odd k, real (stage 2): θ^{t+1} = Opt(θ^t, (g̃^t + g^t)/(Ñ^t + N^t)) from the committed state; the
 *   compute stream meanwhile computes g̃^{t+1} at θ̃^{t+1}.
 * The buffers make this happen: after an even round the compute stream hands g over and restarts
 * from zero; after an odd round it hands g̃ over but KEEPS it, so the g it computes next at θ is
 * added to it, and the real round gets the sum. One optimizer step = two rounds = two all-gathers and
 * two reduce-scatters: 2× the bytes of a ZeRO-1 step, hidden behind the two half-batches.
 *
 * Start: one micro-batch at θ⁰ seeds the buffer (count 1) and stays in g; round 0 is tentative on it.
 * `steps` counts real rounds; `rounds` all of them; `microBatchesPerStep` the mean local count of a
 * real round (Ñ + N), `extraMicroBatches` what exceeds 2·accumulation (the paper's "supplementary
 * accumulation steps"). The learning-rate schedule (`optimizer.schedule`) advances once per real
 * round (a tentative round uses the rate of the real one that follows it); the code advances it by the
 * round's total micro-batch count instead, so the schedule's lengths count optimizer steps here. Not
 * modelled: the stop on a global micro-batch budget (the scenario's stop.time ends the run).
 */
const accoRounds: RoundPolicy = {
  tentative: (k) => k % 2 === 0,
  keepsGradients: (k) => k % 2 === 1,
  nominalMicroBatches: (accumulation) => 2 * accumulation,
};

export const acco = defineSchedule({
  kind: "acco",
  summary: "ACCO, Nabli et al. 2024: accumulate while you communicate.",
  description:
    "Two streams: communication and sharded optimizer steps run while the next micro-batches accumulate; tentative and real rounds.",
  fields: { optimizer: optimizerInput, accumulation, warmupSteps, ...trainingFields },
  params: synchronousParams,
  state: (_params: SynchronousParams) => declaredState(true),
  start: (worker, params) => startTwoStreams(worker, params, accoRounds, "acco"),
});
