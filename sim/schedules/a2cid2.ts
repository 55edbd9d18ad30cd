import { finite, oneOf, optional, withDefault } from "../scenario/fields.ts";
import { sgdFields, sgdSettingsOf, trainingFields } from "../scenario/params/training.ts";
import { A2cid2Worker, gradientLoop } from "./a2cid2/core.ts";
import { Coordinator, commThread, Rendezvous } from "./a2cid2/matching.ts";
import { runConstants } from "./a2cid2/rates.ts";
import { defineSchedule, type StateVector } from "./definition.ts";
import { EdgePlans } from "./edge-plans.ts";
import { rateField, type SgdSettings } from "./gossip.ts";
import type { A2cid2Constants } from "./math/a2cid2.ts";
import { startPairwise } from "./pairwise.ts";

/**
 * A²CiD² (Nabli, Belilovsky & Oyallon, NeurIPS 2023; reference §3): asynchronous pairwise gossip with a
 * continuous local momentum. Each worker keeps x and x̃; between its events they mix by the ODE
 * d(x, x̃)/dt = η(x̃ − x, x − x̃), integrated exactly (`mix2` with a = (1+e^{−2ητ})/2, b = 1 − a,
 * τ = elapsed time in gradients); a gradient step moves both by the same −lr·m; an exchange on (i, j)
 * gives x̃_i += α̃(x_j − x_i) and x_i ← (x_i + x_j)/2 on each side.
 *
 * Constants: η = 1/(2√(χ1χ2)), α̃ = ½√(χ1/χ2) of the gossip Laplacian at `rate` exchanges per
 * gradient per worker (edge-plans.ts: λ_ij = rate/degree on regular graphs, the code's rates on its
 * exponential graph, DADAO's worst case over a time-varying sequence), unless `eta` / `alphaTilde`
 * are given. The theory's time unit is one gradient; on a device elapsed seconds are divided by the
 * worker's mean gradient time (`meanGradientTime`; the code uses an EMA of measured step times).
 *
 * Processes of each worker (it acts only on its own x and x̃; partners' vectors arrive as messages):
 * - gradients (a2cid2/core.ts `gradientLoop`): at each tick of its compute clock (Poisson(1) in the
 *   theory backend, back to back in the systems one), gradient on x, mix to now, SGD(+momentum) step
 *   on x, x̃ −= lr·m (§3.3).
 * - `pairing: poisson`: its gossip clock picks a neighbour (Λ_ii/2 ticks per gradient, j ∝ λ_ij, so the
 *   superposed clocks are the theory's edge clocks); an exchange is a request (x_i) and a reply (x_j,
 *   read when the request arrives), each side applying its rule on arrival (pairwise.ts). In the theory
 *   backend messages are instantaneous: both ends are updated at the tick from the values before it.
 * - `pairing: matching` (a2cid2/matching.ts), the authors' scheduling (§3.4):
 *   - a coordinator process on rank 0 (the code's `master_process`) takes available workers' ranks in
 *     FIFO order and pairs each newcomer with a ready neighbour in random order (complete graph: the
 *     first two available), else marks it ready; it tells both by control messages; when a
 *     time-varying graph switches, the ready workers are queued again;
 *   - each worker has a comm thread (announce, wait for a partner, exchange: the code's sequential
 *     transfers, higher rank first) and a gradient thread;
 *   - the two threads of a worker meet at a cyclic Barrier(2): the comm thread after a threshold of
 *     exchanges that grows by Poisson(rate), the gradient thread after every gradient (rate < 1: after
 *     Poisson(1/rate) gradients, and the comm thread after every exchange), so exchanges/gradients →
 *     rate, and the faster thread idles while the slower catches up.
 *   No deadlock: ready workers form an independent set of the graph in force (a switch of a
 *   time-varying graph queues them again to keep it so), and any worker not ready is computing,
 *   transferring, or at its barrier waiting for its own gradient thread, which never waits for another
 *   worker; so every ready worker's neighbours become available again in finite time, and each time
 *   one does it is paired (with a ready neighbour, chosen at random among them).
 *
 * Before, the matching ran in systems mode only; it now runs in both backends (instantaneous in theory).
 *
 * Variant (§3.3's subtlety): `theory` mixes a worker before its x is read (a gradient's input, a vector
 * sent), so both ends of an exchange use post-mix values; `code` reads x as it is, so the peer's
 * pre-ODE x is sent and gradients see the pre-mix x, as in the authors' code. Both mix before applying.
 *
 * Start and end of training: all workers start from the problem's initial point (so the code's initial
 * all-reduce of x is the identity and is not simulated) and x̃ ← x; the code's final all-reduce is
 * what the metrics already measure (the loss of the averaged model). The model of worker w is
 * x_w mixed up to now (a·x + b·x̃), computed without touching the state.
 */
export interface A2cid2Params {
  /** Expected pairwise exchanges per gradient, per worker (the code's `rate_com`). */
  readonly rate: number;
  readonly sgd: SgdSettings;
  /** Each worker's Poisson gossip clock, or the authors' availability matching (in both backends). */
  readonly pairing: "poisson" | "matching";
  /** theory: reads see mixed values; code: reads (sends, gradients) see pre-mix x (§3.3). */
  readonly variant: "theory" | "code";
  /** Override of η = 1/(2√(χ1χ2)). */
  readonly eta?: number;
  /** Override of α̃ = ½√(χ1/χ2). */
  readonly alphaTilde?: number;
}

/** What every worker derives alike, once per run: η, α̃ and the exchange plans of the graphs. */
export interface A2cid2RunConstants {
  readonly mixing: A2cid2Constants;
  readonly plans: EdgePlans;
}

export const a2cid2 = defineSchedule({
  kind: "a2cid2",
  summary: "Gossip with A²CiD²'s continuous momentum (x, x̃), Nabli, Belilovsky & Oyallon 2023.",
  description: "Pairwise gossip plus a continuous momentum that mixes x and x̃ between events.",
  fields: {
    rate: rateField,
    pairing: withDefault(
      oneOf(["poisson", "matching"], {
        description:
          "poisson (each worker's own Poisson gossip clock) or matching (the authors' code: available workers paired by a coordinator on rank 0, with the comm/gradient rendezvous of §3.4).",
      }),
      "poisson",
    ),
    variant: withDefault(
      oneOf(["theory", "code"], {
        description:
          "theory: both ends apply the mixing ODE before exchanging; code: each peer sends its pre-ODE x, as the authors' code does.",
      }),
      "theory",
    ),
    eta: optional(
      finite({ above: 0 }, { description: "The mixing rate η, overriding the theory's value." }),
      { words: "1/(2√(χ₁χ₂)) of the gossip Laplacian" },
    ),
    alphaTilde: optional(
      finite({ atLeast: 0 }, { description: "The momentum coupling α̃, overriding the theory's value." }),
      { words: "½√(χ₁/χ₂)" },
    ),
    ...trainingFields,
    ...sgdFields,
  },
  params: (input, { path, problems }): A2cid2Params => ({
    rate: input.rate,
    pairing: input.pairing,
    variant: input.variant,
    sgd: sgdSettingsOf(input, path, problems),
    ...(input.eta === undefined ? {} : { eta: input.eta }),
    ...(input.alphaTilde === undefined ? {} : { alphaTilde: input.alphaTilde }),
  }),
  state: (params: A2cid2Params) => a2cid2State(params),
  constants: (run, params): A2cid2RunConstants => ({
    mixing: runConstants(run.graph, params.rate, params),
    plans: new EdgePlans(params.rate),
  }),
  start(worker, params, { mixing, plans }: A2cid2RunConstants) {
    const state = new A2cid2Worker(worker, mixing, params.variant);
    worker.kernels.copy(state.xTilde, state.x);
    const w = worker.rank;
    if (params.pairing === "matching") {
      if (w === 0) {
        const coordinator = new Coordinator(worker, plans);
        worker.spawn("matching-coordinator", coordinator.run());
        if (worker.graph.sequence !== undefined)
          worker.spawn("matching-switches", coordinator.rematchOnSwitch());
      }
      const rendezvous = new Rendezvous(params.rate, worker.random("rendezvous"));
      worker.spawn(
        `sgd-${w}`,
        gradientLoop(state, params.sgd, () => rendezvous.beforeGradient()),
      );
      worker.spawn(`comm-${w}`, commThread(state, rendezvous));
    } else {
      worker.spawn(`sgd-${w}`, gradientLoop(state, params.sgd));
      startPairwise(worker, plans, state);
    }
    return state;
  },
});

export function a2cid2State(params: Pick<A2cid2Params, "sgd">): readonly StateVector[] {
  const vectors: StateVector[] = [
    { name: "x", category: "parameters" },
    // The one extra variable of A²CiD²: optimizer state, like a momentum buffer.
    { name: "xTilde", category: "optimizerState" },
    { name: "g", category: "gradients" },
  ];
  if (params.sgd.momentum > 0) vectors.push({ name: "momentum", category: "optimizerState" });
  return vectors;
}
