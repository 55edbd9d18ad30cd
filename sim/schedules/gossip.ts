import type { Vec } from "../../kernels/kernels.ts";
import { type LrShape, learningRateOf } from "../optim/lr-schedule.ts";
import { finite, withDefault } from "../scenario/fields.ts";
import { sgdFields, sgdSettingsOf, trainingFields } from "../scenario/params/training.ts";
import { defineSchedule, modelIsX, type StateVector } from "./definition.ts";
import { EdgePlans } from "./edge-plans.ts";
import { startPairwise } from "./pairwise.ts";
import type { ScheduleProcess, Worker } from "./worker.ts";

/** SGD settings shared by the gossip family (PyTorch semantics, as in the A²CiD² code). */
export interface SgdSettings {
  /** Peak learning rate; `schedule` shapes it over each worker's gradient steps. */
  readonly lr: number;
  readonly schedule?: LrShape;
  readonly momentum: number;
  readonly weightDecay: number;
}

export interface GossipParams {
  /** Expected pairwise exchanges per gradient, per worker. */
  readonly rate: number;
  readonly sgd: SgdSettings;
}

/**
 * Asynchronous pairwise gossip in the AD-PSGD style (the A²CiD² paper's baseline): every worker takes
 * gradient steps, and concurrently, pairs of neighbours average their parameters,
 * x_i, x_j ← (x_i + x_j)/2, each side from the other's value as it was sent.
 *
 * Each worker runs two processes and a responder (pairwise.ts): its gradient loop (compute clock:
 * Poisson of rate 1 per gradient unit in the theory backend, back to back in the systems one), and
 * its gossip clock, which ticks Λ_ii/2 times per mean gradient and picks a neighbour j ∝ λ_ij; with
 * the uniform edge rates λ_e = n·rate/(2|E|), every worker of a regular graph takes part in `rate`
 * exchanges per gradient. An exchange is a request (x_i, read when sent) and a reply (x_j, read when
 * the request arrives); each side averages its own x with what it received. In the theory backend
 * messages are instantaneous, so the superposed clocks are the papers' edge clocks and the mean of
 * the parameters is conserved exactly by every exchange.
 */
/** A gossip-family schedule's `rate` field. */
export const rateField = withDefault(
  finite({ above: 0 }, { description: "Expected pairwise exchanges per gradient, per worker." }),
  1,
);

export const gossip = defineSchedule({
  kind: "gossip",
  summary: "Asynchronous pairwise gossip averaging with concurrent SGD (AD-PSGD style).",
  description: "Gradient steps and pairwise averagings of neighbours, concurrently.",
  fields: { rate: rateField, ...trainingFields, ...sgdFields },
  params: (input, { path, problems }): GossipParams => ({
    rate: input.rate,
    sgd: sgdSettingsOf(input, path, problems),
  }),
  state: (params: GossipParams) => gossipState(params),
  constants: (_run, params) => new EdgePlans(params.rate),
  start(worker, params, plans: EdgePlans) {
    worker.spawn(`sgd-${worker.rank}`, sgdLoop(worker, params.sgd));
    const x = worker.vector("x");
    startPairwise(worker, plans, {
      outgoing: () => x,
      apply: (received) => worker.kernels.lerp(x, received, 0.5),
    });
    return modelIsX(worker);
  },
});

export function gossipState(params: { readonly sgd: SgdSettings }): readonly StateVector[] {
  const vectors: StateVector[] = [
    { name: "x", category: "parameters" },
    { name: "g", category: "gradients" },
  ];
  if (params.sgd.momentum > 0) vectors.push({ name: "momentum", category: "optimizerState" });
  return vectors;
}

/** The worker's momentum buffer, or a scratch (charged as buffers) when momentum is off: SGD needs one. */
export function momentumOf(worker: Worker, sgd: SgdSettings): Vec {
  return sgd.momentum > 0 ? worker.vector("momentum") : worker.scratch();
}

/** The worker's gradient loop: a stochastic gradient at its next compute slot, then an SGD step. */
export function* sgdLoop(worker: Worker, sgd: SgdSettings): ScheduleProcess {
  const x = worker.vector("x");
  const g = worker.vector("g");
  const momentum = momentumOf(worker, sgd);
  for (let t = 0; ; t++) {
    yield* worker.computeSlot("poisson");
    yield worker.gradient(x, g);
    const lr = learningRateOf(sgd.lr, sgd.schedule, t);
    worker.kernels.sgdMomentum(x, momentum, g, lr, sgd.momentum, sgd.weightDecay);
    worker.count("gradients");
  }
}
