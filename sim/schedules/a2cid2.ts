import { A2cid2Workers, gradientLoop } from "./a2cid2/core.ts";
import { edgeClocks, poissonGossip } from "./a2cid2/exchange.ts";
import { Coordinator, commThread, Rendezvous } from "./a2cid2/matching.ts";
import { EdgePlans, runConstants } from "./a2cid2/rates.ts";
import type { SgdSettings } from "./gossip.ts";
import type { ScheduleDefinition, StateVector } from "./operations.ts";

/**
 * A²CiD² (Nabli, Belilovsky & Oyallon, NeurIPS 2023; reference §3): asynchronous pairwise gossip with a
 * continuous local momentum. Each worker keeps x and x̃; between its events they mix by the ODE
 * d(x, x̃)/dt = η(x̃ − x, x − x̃), integrated exactly (`mix2` with a = (1+e^{−2ητ})/2, b = 1 − a,
 * τ = elapsed time in gradients); a gradient step moves both by the same −lr·m; an exchange on (i, j)
 * gives x̃_i += α̃(x_j − x_i) and x_i ← (x_i + x_j)/2 on each side.
 *
 * Constants: η = 1/(2√(χ1χ2)), α̃ = ½√(χ1/χ2) of the gossip Laplacian at `rate` exchanges per
 * gradient per worker (a2cid2/rates.ts: λ_ij = rate/degree on regular graphs, the code's rates on its
 * exponential graph, DADAO's worst case over a time-varying sequence), unless `eta` / `alphaTilde`
 * are given. The theory's time unit is one gradient; in systems mode elapsed seconds are divided by the
 * worker's mean gradient time (`meanGradientTime`; the code uses an EMA of measured step times).
 *
 * Processes:
 * - gradients (a2cid2/core.ts `gradientLoop`), per worker: Poisson(1) clock in theory mode, back to
 *   back in systems mode; gradient on x, mix to now, SGD(+momentum) step on x, x̃ −= lr·m (§3.3).
 * - theory mode: the superposed edge clocks (a2cid2/exchange.ts `edgeClocks`), instantaneous
 *   exchanges; `pairing` does not apply.
 * - systems mode, `pairing: poisson`: each worker's Poisson clock picks a neighbour; both vectors are
 *   sent at once and applied on arrival (`poissonGossip`), as the gossip baseline does.
 * - systems mode, `pairing: matching` (a2cid2/matching.ts), the authors' scheduling (§3.4):
 *   - a coordinator process (rank 0's `master_process`) reads a Mailbox of available workers in FIFO
 *     order and pairs each newcomer with a ready neighbour in random order (complete graph: the first
 *     two available), else marks it ready; it tells both through their own Mailbox; when a
 *     time-varying graph switches, the ready workers are queued again;
 *   - each worker has a comm thread (announce, wait for a partner, exchange: the lower rank runs the
 *     code's sequential transfers, higher rank first, then signals the other) and a gradient thread;
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
  /** Systems mode only: each worker's Poisson clock, or the authors' availability matching. */
  readonly pairing: "poisson" | "matching";
  /** theory: reads see mixed values; code: reads (sends, gradients) see pre-mix x (§3.3). */
  readonly variant: "theory" | "code";
  /** Override of η = 1/(2√(χ1χ2)). */
  readonly eta?: number;
  /** Override of α̃ = ½√(χ1/χ2). */
  readonly alphaTilde?: number;
}

export const a2cid2: ScheduleDefinition<A2cid2Params> = {
  kind: "a2cid2",
  summary: "A²CiD²: asynchronous gossip with a continuous momentum mixing x and x̃ (Nabli et al. 2023)",
  state: a2cid2State,
  start(ops, params) {
    const constants = runConstants(ops.graph, params.rate, params);
    const workers = new A2cid2Workers(ops, constants, params.variant);
    for (let w = 0; w < ops.workers; w++) ops.kernels.copy(workers.xTilde[w]!, workers.x[w]!);
    const plans = new EdgePlans(params.rate);
    if (ops.fidelity === "systems" && params.pairing === "matching") {
      const coordinator = new Coordinator(workers, plans);
      ops.spawn("matching-coordinator", coordinator.run());
      if (ops.graph.sequence !== undefined) ops.spawn("matching-switches", coordinator.rematchOnSwitch());
      for (let w = 0; w < ops.workers; w++) {
        const rendezvous = new Rendezvous(params.rate, ops.random("rendezvous", w));
        ops.spawn(
          `sgd-${w}`,
          gradientLoop(workers, w, params.sgd, () => rendezvous.beforeGradient()),
        );
        ops.spawn(`comm-${w}`, commThread(workers, coordinator, rendezvous, w));
      }
    } else {
      for (let w = 0; w < ops.workers; w++) ops.spawn(`sgd-${w}`, gradientLoop(workers, w, params.sgd));
      if (ops.fidelity === "theory") ops.spawn("edge-clocks", edgeClocks(workers, plans));
      else for (let w = 0; w < ops.workers; w++) ops.spawn(`gossip-${w}`, poissonGossip(workers, plans, w));
    }
    return { model: (w, out) => workers.model(w, out) };
  },
};

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
