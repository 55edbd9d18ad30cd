import { nextSwitchTime } from "../../cluster/topology/index.ts";
import type { EdgePlans } from "../edge-plans.ts";
import { pickNeighbor } from "../pairwise.ts";
import { Barrier, type RandomStream, type ScheduleProcess, type Worker } from "../worker.ts";
import type { A2cid2Worker } from "./core.ts";

/**
 * The authors' communication scheduling (reference §3.4, `p2p_sync.py::master_process`, `adp.py`):
 * availability-based pairing by a coordinator on rank 0, and a comm/gradient rendezvous per worker
 * that keeps `rate` exchanges per gradient. See a2cid2.ts for the design and its deadlock argument.
 * Workers and the coordinator talk by control messages (a rank, a pairing: a few integers, as the code
 * sends to rank 0), delivered at once; the exchange itself moves both vectors through the network.
 */

const AVAILABLE = "matching-available";
const PAIRING = "matching-pairing";
const TRANSFER = "matching-transfer";

/** Poisson(mean) by inversion, in pieces of mean ≤ 30 so that e^{−mean} stays far from underflow. */
export function poisson(rng: RandomStream, mean: number): number {
  let total = 0;
  let left = mean;
  while (left > 0) {
    const piece = Math.min(left, 30);
    left -= piece;
    let p = Math.exp(-piece);
    let cdf = p;
    let k = 0;
    const u = rng.uniform();
    while (u > cdf && p > 0) {
      k++;
      p *= piece / k;
      cdf += p;
    }
    total += k;
  }
  return total;
}

/**
 * Rank 0's pairing service. A worker whose comm thread is free sends its rank (FIFO). For each, in
 * arrival order: on the complete graph, the first two available workers are paired; on other graphs,
 * the newcomer i is paired with a neighbour already marked ready, chosen in random order (probability
 * ∝ λ_ij: the code's neighbour list names the exponential graph's ±n/2 neighbour twice); if none is
 * ready, i is marked ready. Ready workers are never neighbours, so a ready worker waits only until one
 * of its neighbours becomes free. When a time-varying graph switches, ready workers may have become
 * neighbours: they are taken again, in the order they became ready, as if newly available.
 */
export class Coordinator {
  /** Workers marked ready, in the order they became so. */
  private readonly ready = new Set<number>();
  private readonly worker: Worker;
  private readonly plans: EdgePlans;
  private readonly rng: RandomStream;

  constructor(worker: Worker, plans: EdgePlans) {
    this.worker = worker;
    this.plans = plans;
    this.rng = worker.random("matching");
  }

  *run(): ScheduleProcess {
    const { worker } = this;
    for (;;) {
      const { value: i } = yield* worker.receive<number>(AVAILABLE);
      const plan = this.plans.of(worker.graph.at(worker.now()));
      // Complete graph: at most one worker is ready, the first available one; pair it with i.
      const j = plan.complete
        ? (this.ready.values().next().value ?? -1)
        : pickNeighbor(plan, i, this.rng, (k) => this.ready.has(k));
      if (j < 0) this.ready.add(i);
      else {
        this.ready.delete(j);
        this.tell(j, i);
        this.tell(i, j);
      }
    }
  }

  /** At every switch of a time-varying graph, the ready workers go back to the queue (in order). */
  *rematchOnSwitch(): ScheduleProcess {
    const { worker } = this;
    const sequence = worker.graph.sequence;
    if (sequence === undefined) return;
    for (;;) {
      yield worker.sleep(nextSwitchTime(sequence, worker.now()) - worker.now());
      const again = [...this.ready];
      this.ready.clear();
      for (const w of again) this.worker.send(this.worker.rank, AVAILABLE, w);
    }
  }

  /** Tells worker `w` its partner (a control message; rank 0's own comm thread gets it the same way). */
  private tell(w: number, partner: number): void {
    this.worker.send(w, PAIRING, partner);
  }
}

/**
 * The rendezvous of one worker's gradient thread and comm thread (§3.4): a cyclic Barrier(2) that
 * both reach once per round. With rate r ≥ 1 a round is one gradient and Poisson(r) exchanges (the
 * comm thread's threshold grows by Poisson(r); the gradient thread waits after every gradient); with
 * r < 1 it is one exchange and Poisson(1/r) gradients. Either way r exchanges per gradient in the long
 * run, and the faster thread idles at the barrier until the slower catches up.
 */
export class Rendezvous {
  private readonly barrier = new Barrier(2);
  private gradients = 0;
  private gradientThreshold: number;
  private exchanges = 0;
  private exchangeThreshold: number;
  private readonly gradientStep: () => number;
  private readonly exchangeStep: () => number;

  constructor(rate: number, rng: RandomStream) {
    if (rate >= 1) {
      this.gradientStep = () => 1;
      this.exchangeStep = () => poisson(rng, rate);
    } else {
      this.gradientStep = () => poisson(rng, 1 / rate);
      this.exchangeStep = () => 1;
    }
    this.gradientThreshold = this.gradientStep();
    this.exchangeThreshold = this.exchangeStep();
  }

  /** Before each gradient: meet the comm thread as many times as the rounds completed call for. */
  *beforeGradient(): ScheduleProcess {
    while (this.gradients >= this.gradientThreshold) {
      yield this.barrier.arrive();
      this.gradientThreshold += this.gradientStep();
    }
    this.gradients++;
  }

  /** Before each exchange: likewise for the comm thread. */
  *beforeExchange(): ScheduleProcess {
    while (this.exchanges >= this.exchangeThreshold) {
      yield this.barrier.arrive();
      this.exchangeThreshold += this.exchangeStep();
    }
    this.exchanges++;
  }
}

/**
 * The worker's comm thread: pass the rendezvous, tell rank 0 it is free, wait for a partner, exchange,
 * and again. The exchange is the code's (`p2p_averaging.py`): the higher rank sends first and the lower
 * receives, then the lower sends and the higher receives (NCCL point-to-point: the two transfers are
 * sequential); each end applies its side once both transfers are done.
 */
export function* commThread(state: A2cid2Worker, rendezvous: Rendezvous): ScheduleProcess {
  const { worker } = state;
  for (;;) {
    yield* rendezvous.beforeExchange();
    worker.send(0, AVAILABLE, worker.rank);
    const { value: partner } = yield* worker.receive<number>(PAIRING);
    if (worker.rank > partner) {
      state.beforeRead();
      yield worker.send(partner, TRANSFER, state.x);
      const { value: fromLow } = yield* worker.receive(TRANSFER);
      state.apply(fromLow);
      worker.release(fromLow);
    } else {
      const { value: fromHigh } = yield* worker.receive(TRANSFER);
      state.beforeRead();
      yield worker.send(partner, TRANSFER, state.x);
      state.apply(fromHigh);
      worker.release(fromHigh);
    }
    worker.count("exchanges");
  }
}
