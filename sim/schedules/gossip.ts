import type { Vec } from "../../kernels/kernels.ts";
import { type LrShape, learningRateOf } from "../optim/lr-schedule.ts";
import type {
  Operations,
  RunningSchedule,
  ScheduleDefinition,
  ScheduleProcess,
  StateVector,
} from "./operations.ts";

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
 * x_i, x_j ← (x_i + x_j)/2.
 *
 * Theory mode (the papers' model; time unit = one gradient): each worker's gradient clock is Poisson of
 * rate 1; each edge's clock is Poisson, the edges together ticking n·rate/2 times per unit of time, each
 * tick on a uniformly chosen edge (so every worker of a regular graph averages `rate` times per unit),
 * and averaging is instantaneous — the mean of the parameters is conserved exactly.
 * Systems mode: gradients back to back on each device; each worker's gossip clock ticks rate/2 times per
 * mean gradient, so that with its neighbours' ticks it takes part in `rate` exchanges per gradient (on a
 * regular graph), as in theory mode; an exchange sends both vectors (read when sent) and each side
 * averages with what it received when it arrives; a worker's gossip process runs one exchange at a time.
 */
export const gossip: ScheduleDefinition<GossipParams> = {
  kind: "gossip",
  summary: "asynchronous pairwise gossip averaging with concurrent SGD (AD-PSGD style)",
  state: gossipState,
  start(ops, params) {
    for (let w = 0; w < ops.workers; w++) ops.spawn(`sgd-${w}`, sgdLoop(ops, w, params.sgd));
    startGossip(ops, params.rate, averageOnArrival);
    return modelIsX(ops);
  },
};

export function gossipState(params: { readonly sgd: SgdSettings }): readonly StateVector[] {
  const vectors: StateVector[] = [
    { name: "x", category: "parameters" },
    { name: "g", category: "gradients" },
  ];
  if (params.sgd.momentum > 0) vectors.push({ name: "momentum", category: "optimizerState" });
  return vectors;
}

export function modelIsX(ops: Operations): RunningSchedule {
  return { model: (w, out) => ops.kernels.copy(out, ops.vector(w, "x")) };
}

/** What an exchange does to both ends once the partner's vector has arrived. */
export type ExchangeRule = (ops: Operations, i: number, j: number, fromJ: Vec, fromI: Vec) => void;

const averageOnArrival: ExchangeRule = (ops, i, j, fromJ, fromI) => {
  ops.kernels.lerp(ops.vector(i, "x"), fromJ, 0.5);
  ops.kernels.lerp(ops.vector(j, "x"), fromI, 0.5);
};

/** One worker's gradient loop: a (theory: Poisson-timed) stochastic gradient, then an SGD step. */
export function* sgdLoop(
  ops: Operations,
  w: number,
  sgd: SgdSettings,
  beforeStep?: (w: number) => void,
  afterStep?: (w: number) => void,
): ScheduleProcess {
  const x = ops.vector(w, "x");
  const g = ops.vector(w, "g");
  const momentum = sgd.momentum > 0 ? ops.vector(w, "momentum") : ops.scratch(w);
  const clock = ops.random("gradient-clock", w);
  for (let t = 0; ; t++) {
    if (ops.fidelity === "theory") yield ops.sleep(clock.exponential(1));
    yield ops.gradient(w, x, g);
    beforeStep?.(w);
    const lr = learningRateOf(sgd.lr, sgd.schedule, t);
    ops.kernels.sgdMomentum(x, momentum, g, lr, sgd.momentum, sgd.weightDecay);
    afterStep?.(w);
    ops.count(w, "gradients");
  }
}

/**
 * Starts the gossip clocks: in theory mode one process for the superposed edge clocks, with
 * instantaneous exchanges; in systems mode one gossip process per worker. `rule` applies an exchange.
 */
export function startGossip(ops: Operations, rate: number, rule: ExchangeRule): void {
  if (ops.fidelity === "theory") {
    ops.spawn("edge-clocks", edgeClocks(ops, rate, rule));
    return;
  }
  for (let w = 0; w < ops.workers; w++) ops.spawn(`gossip-${w}`, workerGossip(ops, w, rate, rule));
}

function* edgeClocks(ops: Operations, rate: number, rule: ExchangeRule): ScheduleProcess {
  const clock = ops.random("edge-clock");
  const pick = ops.random("edge-pick");
  const totalRate = (ops.workers * rate) / 2;
  // Snapshots, so that both ends see the other's value from before the exchange.
  const xi = ops.scratch(0);
  const xj = ops.scratch(0);
  for (;;) {
    yield ops.sleep(clock.exponential(totalRate));
    const graph = ops.graph.at(ops.now());
    // A time-varying sequence may hold a graph without edges: no exchange until it switches.
    if (graph.edgeU.length === 0) continue;
    const e = pick.int(graph.edgeU.length);
    const i = graph.edgeU[e]!;
    const j = graph.edgeV[e]!;
    // Instantaneous in theory mode: read both, apply both, nothing moves in between.
    ops.kernels.copy(xi, ops.vector(i, "x"));
    ops.kernels.copy(xj, ops.vector(j, "x"));
    rule(ops, i, j, xj, xi);
    ops.count(i, "exchanges");
    ops.count(j, "exchanges");
  }
}

function* workerGossip(ops: Operations, i: number, rate: number, rule: ExchangeRule): ScheduleProcess {
  const clock = ops.random("gossip-clock", i);
  const pick = ops.random("gossip-partner", i);
  // `rate` exchanges per gradient per worker: each exchange involves two workers, so each worker
  // starts rate/2 of them per mean gradient of its device (the other half are its neighbours').
  const perSecond = rate / (2 * ops.meanGradientTime(i));
  for (;;) {
    yield ops.sleep(clock.exponential(perSecond));
    const graph = ops.graph.at(ops.now());
    const first = graph.offsets[i]!;
    const degree = graph.offsets[i + 1]! - first;
    if (degree === 0) continue;
    const j = graph.neighbors[first + pick.int(degree)]!;
    const toJ = ops.send(i, j, ops.vector(i, "x"));
    const toI = ops.send(j, i, ops.vector(j, "x"));
    const fromJ = yield* toI;
    const fromI = yield* toJ;
    rule(ops, i, j, fromJ, fromI);
    ops.release(i, fromJ);
    ops.release(j, fromI);
    ops.count(i, "exchanges");
    ops.count(j, "exchanges");
  }
}
