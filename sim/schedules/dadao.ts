import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { Graph } from "../cluster/topology/graph.ts";
import { InputError } from "../errors.ts";
import {
  type DadaoConstants,
  type DadaoRates,
  dadaoConstants,
  dadaoOdeMatrix,
  dadaoRates,
  dadaoWorstCaseRates,
} from "./math/dadao.ts";
import { expm6 } from "./math/expm.ts";
import type { Operations, ScheduleDefinition, ScheduleProcess, StateVector } from "./operations.ts";

export interface DadaoParams {
  /**
   * λ_mix: communication events per unit time (one unit = one gradient per worker) over the whole
   * network. Default √(2χ₁χ₂), the χ's of L_norm = L_G/|E| (worst cases over a time-varying sequence).
   */
  readonly commRate?: number;
  /**
   * Which μ and L set the step sizes: "local" (default), the worst case over the workers' objectives
   * (min μ_i, max L_i), as the authors' code does; "global", those of the average objective.
   */
  readonly constants?: "local" | "global";
}

/** The six per-worker vectors, in the order of the ODE matrix (`DADAO_X` … `DADAO_Z_TILDE`). */
export const DADAO_VECTORS = ["x", "xTilde", "y", "yTilde", "z", "zTilde"] as const;

/** A worker's six vectors (x, x̃, y, ỹ, z, z̃), the stack `linear6` takes. */
export type DadaoStack = readonly [Vec, Vec, Vec, Vec, Vec, Vec];

/**
 * DADAO (Nabli & Oyallon, ICML 2023; reference §2), from the authors' code: each worker holds six
 * vectors (x, x̃, y, ỹ, z, z̃), integrates a 6 × 6 linear ODE exactly between its events, and two
 * decoupled Poisson processes drive it — gradient events (x, x̃, ỹ jump) and communication events on
 * edges (z, z̃ jump by ∓β·m, ∓β̃·m with m = (y_i + z_i) − (y_j + z_j): one d-vector each way). The
 * evaluated model is x. Needs a strongly convex problem: its μ and L give the constants (§2.3). These
 * are the constants of f = (1/n)Σ f_i that `Problem` exposes; the authors' `compute_regularity_constants`
 * takes the worst case over the local f_i (min μ_i, max L_i), which is larger in κ: with strongly
 * heterogeneous shards (local L_i ≫ L) the run can diverge.
 *
 * State: x is "parameters" (the backend starts it at the problem's initial point); x̃, y, ỹ, z, z̃ are
 * "optimizerState" (zero at start), so a worker holds 6× the parameters, as §2.2 says; g is the
 * gradient buffer ("gradients"). Scratch ("buffers"): one per worker for m (theory) or for its own
 * y + z snapshot (systems), and in systems mode one more per gossip process for the partner's
 * snapshot; received vectors come from the backend's pool. The last-event times are a Float64Array.
 *
 * Theory mode (the paper's and the code's model; time unit = one gradient): gradients at total rate n
 * as ONE superposed process that picks a uniform worker per event. A superposition of n independent
 * rate-1 Poisson clocks is exactly a rate-n Poisson process with i.i.d. uniform marks, so the law is
 * the same as per-worker clocks; this is the authors' own simulation (`lamb_grad = n`, uniform node),
 * and it keeps one timer in the queue instead of n. Communications at total rate λ_mix, each on a
 * uniform edge of the graph in force (λ_ij = λ_mix/|E(t)|). Both are instantaneous: the ends are
 * integrated to the event time, read and jumped with nothing in between. On a time-varying graph the
 * constants use the worst χ's of the sequence; the switching period is the scenario's (the authors
 * switch every 1/χ₁: `dadaoWorstCaseRates(...).graphPeriod`).
 *
 * Systems mode: every worker computes gradients back to back; the gradient is taken at the x read when
 * the computation starts, and the event (g = ∇f_i(x_start) − ν·x_i − ỹ_i with x_i, ỹ_i integrated to
 * the completion time, then the jumps) happens when it completes. Each worker runs a gossip clock of
 * rate deg_i·λ_mix/(2|E|) per unit, picking a uniform neighbour, so that every edge ticks at λ_mix/|E|
 * per unit as in the theory (both ends' clocks together); one exchange at a time per clock, as in
 * gossip.ts. The theory's instantaneous exchange becomes: at the tick both ends are integrated to the
 * tick and their y + z read and sent (one d-vector each way); once both have arrived each side jumps
 * by z −= β·(own − received), z̃ −= β̃·(own − received). m is still the theory's m at the tick
 * (antisymmetric: Σz, Σz̃ are conserved exactly), only its application is delayed by the transfers.
 * The ODE's time unit is each worker's mean gradient time (ACiD's convention, reference §1), so a
 * worker's clocks and its ODE keep the theory's ratios whatever its device speed.
 */
export const dadao: ScheduleDefinition<DadaoParams> = {
  kind: "dadao",
  summary: "DADAO: decoupled accelerated decentralized optimization (6 vectors, exact ODE between events)",
  state: () => [
    { name: "x", category: "parameters" },
    ...DADAO_VECTORS.slice(1).map((name): StateVector => ({ name, category: "optimizerState" })),
    { name: "g", category: "gradients" },
  ],
  start(ops, params) {
    const setup = dadaoSetup(ops, params);
    const n = ops.workers;
    const stacks = Array.from({ length: n }, (_, w) => dadaoStack(ops, w));
    const unit = Float64Array.from({ length: n }, (_, w) => ops.meanGradientTime(w));
    const core = new DadaoCore(ops.kernels, stacks, setup.constants, unit);
    const m = Array.from({ length: n }, (_, w) => ops.scratch(w));
    if (ops.fidelity === "theory") {
      ops.spawn("dadao-gradients", theoryGradients(ops, core));
      ops.spawn("dadao-communications", theoryCommunications(ops, core, setup.mixRate, m));
    } else {
      for (let w = 0; w < n; w++) {
        ops.spawn(`dadao-gradient-${w}`, systemsGradients(ops, core, w));
        ops.spawn(`dadao-gossip-${w}`, systemsGossip(ops, core, w, setup.mixRate, m[w]!, ops.scratch(w)));
      }
    }
    return { model: (w, out) => core.model(w, ops.now(), out) };
  },
};

export interface DadaoSetup {
  readonly constants: DadaoConstants;
  /** χ's of L_norm (worst cases for a sequence) and the default λ_mix = √(2χ₁χ₂). */
  readonly rates: DadaoRates;
  /** λ_mix in force: `commRate`, or the default. */
  readonly mixRate: number;
}

/**
 * Constants and rates for a run: μ, L from the problem; χ₁, χ₂ on L_norm of the graph, or their worst
 * cases over a time-varying sequence (every graph of it must then be connected); χ₁* = χ₁/λ_mix, the
 * χ₁ of the actual gossip Laplacian λ_mix·L_norm (reference §2.3, §2.7).
 */
export function dadaoSetup(
  ops: Pick<Operations, "problem" | "graph">,
  params: DadaoParams,
  path = "cluster.topology",
): DadaoSetup {
  const problem = ops.problem;
  const local = params.constants !== "global";
  const mu = local ? (problem.localMu ?? problem.mu) : problem.mu;
  const L = local ? (problem.localL ?? problem.L) : problem.L;
  if (mu === undefined || L === undefined || !(mu > 0)) {
    throw new InputError(
      "problem.kind",
      problem.name,
      "a strongly convex problem with known μ > 0 and L for DADAO (least-squares, logistic or quadratic)",
    );
  }
  const sequence = ops.graph.sequence;
  const rates =
    sequence === undefined ? dadaoRates(ops.graph.at(0), path) : dadaoWorstCaseRates(sequence, path);
  const mixRate = params.commRate ?? rates.mixRate;
  if (!(mixRate > 0 && Number.isFinite(mixRate)))
    throw new RangeError(`DADAO commRate must be positive and finite, got ${mixRate}`);
  const constants = dadaoConstants({ mu, L, chi1Star: rates.chi1 / mixRate });
  return { constants, rates, mixRate };
}

/** Worker w's six vectors, by name from the operations. */
export function dadaoStack(ops: Pick<Operations, "vector">, w: number): DadaoStack {
  const v = (name: string) => ops.vector(w, name);
  return [v("x"), v("xTilde"), v("y"), v("yTilde"), v("z"), v("zTilde")];
}

/**
 * The numbers of DADAO over every worker's six vectors, independent of any engine: lazy exact
 * integration of each worker's ODE, the two event updates, and the model read. Times are in seconds;
 * `secondsPerUnit[w]` converts them into worker w's ODE time unit (1 in theory mode).
 */
export class DadaoCore {
  readonly constants: DadaoConstants;
  /** The ODE matrix M (row-major 6 × 6). */
  readonly matrix: Float64Array;
  /** Time (seconds) up to which each worker's ODE has been integrated: its last event. */
  readonly last: Float64Array;
  private readonly kernels: Kernels;
  private readonly stacks: readonly DadaoStack[];
  private readonly unit: Float64Array;
  private readonly propagator = new Float64Array(36);
  private readonly row = new Float64Array(36);

  constructor(
    kernels: Kernels,
    stacks: readonly DadaoStack[],
    constants: DadaoConstants,
    secondsPerUnit: Float64Array,
  ) {
    if (secondsPerUnit.length !== stacks.length)
      throw new RangeError(`${stacks.length} workers but ${secondsPerUnit.length} time units`);
    this.kernels = kernels;
    this.stacks = stacks;
    this.constants = constants;
    this.matrix = dadaoOdeMatrix(constants);
    this.unit = secondsPerUnit;
    this.last = new Float64Array(stacks.length);
  }

  get workers(): number {
    return this.stacks.length;
  }

  stack(w: number): DadaoStack {
    return this.stacks[w]!;
  }

  /**
   * Integrates worker w's ODE from its last event to `now`: s ← expm(M·Δt)·s coordinate-wise, Δt in
   * its time unit. One fresh 6 × 6 exponential per call: elapsed times are continuous random variables
   * and never repeat, so a cache keyed by Δt would never hit.
   */
  advance(w: number, now: number): void {
    const elapsed = now - this.last[w]!;
    if (elapsed < 0)
      throw new RangeError(`worker ${w}: time ${now} is before its last event ${this.last[w]}`);
    if (elapsed > 0) {
      this.kernels.linear6(this.stacks[w]!, expm6(this.matrix, elapsed / this.unit[w]!, this.propagator));
      this.last[w] = now;
    }
  }

  /**
   * Gradient event at w (reference §2.5), w integrated to the event time, `g` holding ∇f_w(x): turns
   * it into g = ∇f_w(x) − ν·x − ỹ in place, then x −= γg, x̃ −= γ̃g, ỹ += (δ + δ̃)g.
   */
  gradientJump(w: number, g: Vec): void {
    const k = this.kernels;
    const c = this.constants;
    const [x, xTilde, , yTilde] = this.stacks[w]!;
    k.axpy(g, -c.nu, x);
    k.axpy(g, -1, yTilde);
    k.axpy(x, -c.gamma, g);
    k.axpy(xTilde, -c.gammaTilde, g);
    k.axpy(yTilde, c.delta + c.deltaTilde, g);
  }

  /** out ← y_w + z_w: what w sends at a communication event. */
  dual(w: number, out: Vec): void {
    const [, , y, , z] = this.stacks[w]!;
    this.kernels.copy(out, y);
    this.kernels.axpy(out, 1, z);
  }

  /** w's side of a communication with m = (own y + z) − (partner's y + z): z −= β·m, z̃ −= β̃·m. */
  commJump(w: number, m: Vec): void {
    const [, , , , z, zTilde] = this.stacks[w]!;
    this.kernels.axpy(z, -this.constants.beta, m);
    this.kernels.axpy(zTilde, -this.constants.betaTilde, m);
  }

  /**
   * Instantaneous communication event on (i, j) (reference §2.6), both integrated to the event time:
   * m = (y_i + z_i) − (y_j + z_j) into `mi` (`mj` is scratch), then z_i −= βm, z̃_i −= β̃m,
   * z_j += βm, z̃_j += β̃m. The same m enters both sides, so Σz and Σz̃ are conserved.
   */
  exchange(i: number, j: number, mi: Vec, mj: Vec): void {
    this.dual(i, mi);
    this.dual(j, mj);
    this.kernels.axpy(mi, -1, mj);
    this.commJump(i, mi);
    this.kernels.scale(mi, -1);
    this.commJump(j, mi);
  }

  /**
   * Worker w's x integrated to `now` without touching its state: out = Σ_k E[0][k]·s_k with
   * E = expm(M·Δt), Δt = (now − last)/unit (x's row of M only involves x and x̃, so four terms vanish).
   */
  model(w: number, now: number, out: Vec): void {
    const k = this.kernels;
    const s = this.stacks[w]!;
    const elapsed = now - this.last[w]!;
    k.copy(out, s[0]);
    if (!(elapsed > 0)) return;
    const e = expm6(this.matrix, elapsed / this.unit[w]!, this.row);
    k.scale(out, e[0]!);
    for (let c = 1; c < 6; c++) if (e[c] !== 0) k.axpy(out, e[c]!, s[c]!);
  }
}

/** Theory: one superposed rate-n gradient process, each event at a uniform worker. */
function* theoryGradients(ops: Operations, core: DadaoCore): ScheduleProcess {
  const n = ops.workers;
  const clock = ops.random("dadao-gradient-clock");
  const pick = ops.random("dadao-gradient-worker");
  const g = Array.from({ length: n }, (_, w) => ops.vector(w, "g"));
  for (;;) {
    yield ops.sleep(clock.exponential(n));
    const w = pick.int(n);
    core.advance(w, ops.now());
    // Computed now, at the post-ODE x; the completion comes at this same instant.
    yield ops.gradient(w, core.stack(w)[0], g[w]!);
    core.advance(w, ops.now());
    core.gradientJump(w, g[w]!);
    ops.count(w, "gradients");
  }
}

/** Theory: communications at total rate λ_mix, each on a uniform edge of the graph in force. */
function* theoryCommunications(
  ops: Operations,
  core: DadaoCore,
  mixRate: number,
  m: readonly Vec[],
): ScheduleProcess {
  const clock = ops.random("dadao-comm-clock");
  const pick = ops.random("dadao-comm-edge");
  for (;;) {
    yield ops.sleep(clock.exponential(mixRate));
    const now = ops.now();
    const graph = ops.graph.at(now);
    const e = pick.int(graph.edgeU.length);
    const i = graph.edgeU[e]!;
    const j = graph.edgeV[e]!;
    core.advance(i, now);
    core.advance(j, now);
    core.exchange(i, j, m[i]!, m[j]!);
    ops.count(i, "exchanges");
    ops.count(j, "exchanges");
  }
}

/** Systems: worker w's gradients back to back, each event applied when its computation completes. */
function* systemsGradients(ops: Operations, core: DadaoCore, w: number): ScheduleProcess {
  const g = ops.vector(w, "g");
  const x = core.stack(w)[0];
  for (;;) {
    core.advance(w, ops.now());
    yield ops.gradient(w, x, g);
    core.advance(w, ops.now());
    core.gradientJump(w, g);
    ops.count(w, "gradients");
  }
}

/** Per-unit rate at which worker i initiates exchanges so that every edge of g ticks at λ_mix/|E|. */
function initiationRate(g: Graph, i: number, mixRate: number): number {
  const degree = g.offsets[i + 1]! - g.offsets[i]!;
  return (degree * mixRate) / (2 * g.edgeU.length);
}

/**
 * Systems: worker i's gossip clock; at a tick both ends are integrated and their y + z sent, and each
 * side jumps by its own snapshot minus the partner's once both vectors have arrived.
 */
function* systemsGossip(
  ops: Operations,
  core: DadaoCore,
  i: number,
  mixRate: number,
  ownI: Vec,
  ownJ: Vec,
): ScheduleProcess {
  const clock = ops.random("dadao-gossip-clock", i);
  const pick = ops.random("dadao-gossip-partner", i);
  const unit = ops.meanGradientTime(i);
  const k = ops.kernels;
  for (;;) {
    // The rate of the graph in force when the wait starts (exact for a fixed graph).
    yield ops.sleep(clock.exponential(initiationRate(ops.graph.at(ops.now()), i, mixRate) / unit));
    const now = ops.now();
    const graph = ops.graph.at(now);
    const first = graph.offsets[i]!;
    const degree = graph.offsets[i + 1]! - first;
    if (degree === 0) continue;
    const j = graph.neighbors[first + pick.int(degree)]!;
    core.advance(i, now);
    core.advance(j, now);
    core.dual(i, ownI);
    core.dual(j, ownJ);
    const toJ = ops.send(i, j, ownI);
    const toI = ops.send(j, i, ownJ);
    const fromJ = yield* toI;
    const fromI = yield* toJ;
    const arrived = ops.now();
    // m_i = own − received and m_j = −m_i exactly (float subtraction is antisymmetric).
    k.axpby(fromJ, 1, ownI, -1);
    k.axpby(fromI, 1, ownJ, -1);
    core.advance(i, arrived);
    core.advance(j, arrived);
    core.commJump(i, fromJ);
    core.commJump(j, fromI);
    ops.release(i, fromJ);
    ops.release(j, fromI);
    ops.count(i, "exchanges");
    ops.count(j, "exchanges");
  }
}
