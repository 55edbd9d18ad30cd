import { nextSwitchTime } from "../../cluster/topology/index.ts";
import { Barrier, Mailbox, type RandomStream, Signal } from "../../engine/index.ts";
import type { ScheduleProcess } from "../operations.ts";
import type { A2cid2Workers } from "./core.ts";
import { pickNeighbor, sequentialExchange } from "./exchange.ts";
import type { EdgePlans } from "./rates.ts";

/**
 * The authors' communication scheduling (reference §3.4, `p2p_sync.py::master_process`, `adp.py`):
 * availability-based pairing by a coordinator, and a comm/gradient rendezvous per worker that keeps
 * `rate` exchanges per gradient. See a2cid2.ts for the design and its deadlock argument.
 */

/** What the coordinator tells a worker's comm thread: its partner, and who runs the exchange. */
interface Pairing {
  readonly partner: number;
  /** The lower rank runs the transfers; the higher one waits for `done`. */
  readonly leader: boolean;
  readonly done: Signal<void>;
}

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
 * Rank 0's pairing service. A worker whose comm thread is free puts its id in `available` (FIFO). For
 * each, in arrival order: on the complete graph, the first two available workers are paired; on other
 * graphs, the newcomer i is paired with a neighbour already marked ready, chosen in random order
 * (probability ∝ λ_ij: the code's neighbour list names the exponential graph's ±n/2 neighbour twice);
 * if none is ready, i is marked ready. Ready workers are never neighbours, so a ready worker waits
 * only until one of its neighbours becomes free. When a time-varying graph switches, ready workers
 * may have become neighbours: they are taken again, in the order they became ready, as if newly
 * available (`rematchOnSwitch`). The control messages are instantaneous (the code sends a few
 * integers to rank 0); the coordinator is no device's work.
 */
export class Coordinator {
  readonly available = new Mailbox<number>();
  private readonly assignments: Mailbox<Pairing>[];
  /** Workers marked ready, in the order they became so. */
  private readonly ready = new Set<number>();
  private readonly workers: A2cid2Workers;
  private readonly plans: EdgePlans;
  private readonly rng: RandomStream;

  constructor(workers: A2cid2Workers, plans: EdgePlans) {
    this.workers = workers;
    this.plans = plans;
    const n = workers.ops.workers;
    this.assignments = Array.from({ length: n }, () => new Mailbox<Pairing>());
    this.rng = workers.ops.random("matching");
  }

  /** Waits for worker w's next partner. */
  assignment(w: number) {
    return this.assignments[w]!.get();
  }

  *run(): ScheduleProcess {
    const { ops } = this.workers;
    for (;;) {
      const i = yield* this.available.get();
      const plan = this.plans.of(ops.graph.at(ops.now()));
      // Complete graph: at most one worker is ready, the first available one; pair it with i.
      const j = plan.complete
        ? (this.ready.values().next().value ?? -1)
        : pickNeighbor(plan, i, this.rng, (k) => this.ready.has(k));
      if (j < 0) this.ready.add(i);
      else {
        this.ready.delete(j);
        this.pair(j, i);
      }
    }
  }

  /** At every switch of a time-varying graph, the ready workers go back to the queue (in order). */
  *rematchOnSwitch(): ScheduleProcess {
    const { ops } = this.workers;
    const sequence = ops.graph.sequence;
    if (sequence === undefined) return;
    for (;;) {
      yield ops.sleep(nextSwitchTime(sequence, ops.now()) - ops.now());
      const again = [...this.ready];
      this.ready.clear();
      for (const w of again) this.available.put(w);
    }
  }

  private pair(i: number, j: number): void {
    const done = new Signal<void>();
    this.assignments[i]!.put({ partner: j, leader: i < j, done });
    this.assignments[j]!.put({ partner: i, leader: j < i, done });
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
 * Worker w's comm thread: pass the rendezvous, tell the coordinator it is free, wait for a partner,
 * exchange (the lower rank runs the transfers, the other waits for their end), and again.
 */
export function* commThread(
  workers: A2cid2Workers,
  coordinator: Coordinator,
  rendezvous: Rendezvous,
  w: number,
): ScheduleProcess {
  for (;;) {
    yield* rendezvous.beforeExchange();
    coordinator.available.put(w);
    const pairing = yield* coordinator.assignment(w);
    if (pairing.leader) {
      yield* sequentialExchange(workers, w, pairing.partner);
      pairing.done.succeed();
    } else yield pairing.done;
  }
}
