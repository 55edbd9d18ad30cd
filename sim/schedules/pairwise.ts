import type { Vec } from "../../kernels/kernels.ts";
import { uniformNeighbor } from "../cluster/topology/graph.ts";
import { nextSwitchTime } from "../cluster/topology/index.ts";
import type { EdgePlan, EdgePlans } from "./edge-plans.ts";
import type { Message, RandomStream, ScheduleProcess, Worker } from "./worker.ts";

/**
 * Pairwise exchanges between neighbours, as worker actors: an exchange is a request and a reply. The
 * initiator sends what its rule says (read now) and waits for the reply; the partner's responder
 * replies with its own (read when the request arrives), then applies the rule with what it received;
 * the initiator applies the rule when the reply arrives. Each side changes only its own vectors.
 * Shared by gossip, A²CiD² and DADAO.
 */
export interface ExchangeRule {
  /** What this worker sends now (it may write it into `scratch`, this role's own buffer). */
  outgoing(scratch: Vec): Vec;
  /** Applies the partner's vector; `sent` is what this worker sent in the same exchange. */
  apply(received: Vec, sent: Vec): void;
}

const REQUEST = "exchange-request";
const REPLY = "exchange-reply";

/** Starts worker's responder and its Poisson gossip clock over `plans` (one exchange at a time). */
export function startPairwise(worker: Worker, plans: EdgePlans, rule: ExchangeRule, scratch = false): void {
  const own = () => (scratch ? worker.scratch() : undefined);
  worker.spawn(`respond-${worker.rank}`, respond(worker, rule, own()));
  worker.spawn(`gossip-${worker.rank}`, gossipClock(worker, plans, rule, own()));
}

/**
 * Worker i's gossip clock: it ticks Λ_ii/2 times per mean gradient of its device and each tick picks
 * neighbour j with probability λ_ij/Λ_ii, so that edge (i, j) sees λ_ij/2 + λ_ji/2 = λ_ij exchanges
 * per gradient (its own ticks and its neighbours'): the papers' edge clocks, superposed per worker.
 * On a time-varying graph the rates are those of the graph in force at every instant.
 */
function* gossipClock(
  worker: Worker,
  plans: EdgePlans,
  rule: ExchangeRule,
  own: Vec | undefined,
): ScheduleProcess {
  const i = worker.rank;
  const clock = worker.random("gossip-clock");
  const pick = worker.random("gossip-partner");
  const unit = worker.meanGradientTime();
  for (;;) {
    let plan = plans.of(worker.graph.at(worker.now()));
    const perSecond = plan.workerRates[i]! / (2 * unit);
    if (perSecond === 0) {
      const wait = untilNextGraph(worker);
      if (wait === undefined) return;
      yield worker.sleep(wait);
      continue;
    }
    // A graph switch changes the rate: the clock is memoryless, so a wait that would cross the switch
    // ends there and is drawn anew at the new rate (an exact time-varying Poisson clock).
    const wait = clock.exponential(perSecond);
    const switchIn = untilNextGraph(worker);
    if (switchIn !== undefined && wait > switchIn) {
      yield worker.sleep(switchIn);
      continue;
    }
    yield worker.sleep(wait);
    plan = plans.of(worker.graph.at(worker.now()));
    const j = pickNeighbor(plan, i, pick, undefined);
    if (j < 0) continue;
    // The initiator's side, inline: send, wait for the reply, apply. (A plain `yield` rather than a
    // delegated generator: every resumption of a nested generator walks the chain, and this is the
    // hot path of every gossip run.)
    const sent = rule.outgoing(own!);
    worker.send(j, REQUEST, sent);
    const reply = (yield worker.receive<Vec>(REPLY)) as Message<Vec>;
    rule.apply(reply.value, sent);
    worker.release(reply.value);
    worker.count("exchanges");
  }
}

/** Responder: for each request, reply with this worker's vector (read now), then apply the rule. */
function* respond(worker: Worker, rule: ExchangeRule, own: Vec | undefined): ScheduleProcess {
  for (;;) {
    const request = (yield worker.receive<Vec>(REQUEST)) as Message<Vec>;
    const sent = rule.outgoing(own!);
    worker.send(request.from, REPLY, sent);
    rule.apply(request.value, sent);
    worker.release(request.value);
    worker.count("exchanges");
  }
}

/**
 * A neighbour j of i with probability ∝ λ_ij, among those `eligible` accepts (all when undefined);
 * −1 when none. Uniform rates with no filter: `uniformNeighbor`, one `int` draw.
 */
export function pickNeighbor(
  plan: EdgePlan,
  i: number,
  rng: RandomStream,
  eligible: ((j: number) => boolean) | undefined,
): number {
  const g = plan.graph;
  if (eligible === undefined && plan.uniform) return uniformNeighbor(g, i, rng);
  const first = g.offsets[i]!;
  const last = g.offsets[i + 1]!;
  if (first === last) return -1;
  let total = 0;
  for (let k = first; k < last; k++)
    if (eligible === undefined || eligible(g.neighbors[k]!)) total += plan.neighborRates[k]!;
  if (total === 0) return -1;
  let target = rng.uniform() * total;
  let chosen = -1;
  for (let k = first; k < last; k++) {
    const j = g.neighbors[k]!;
    if (eligible !== undefined && !eligible(j)) continue;
    chosen = j;
    target -= plan.neighborRates[k]!;
    if (target < 0) break;
  }
  return chosen;
}

/** Seconds until the time-varying graph switches (undefined for a fixed graph: it never will). */
export function untilNextGraph(worker: Worker): number | undefined {
  const sequence = worker.graph.sequence;
  if (sequence === undefined) return undefined;
  const now = worker.now();
  return nextSwitchTime(sequence, now) - now;
}
