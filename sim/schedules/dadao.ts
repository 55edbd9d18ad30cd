import type { Kernels, Vec } from "../../kernels/kernels.ts";
import { InputError } from "../errors.ts";
import { finite, oneOf, optional, withDefault } from "../scenario/fields.ts";
import { trainingFields } from "../scenario/params/training.ts";
import { defineSchedule, type RunInfo, type StateVector } from "./definition.ts";
import { EdgePlans } from "./edge-plans.ts";
import {
  type DadaoConstants,
  type DadaoRates,
  dadaoConstants,
  dadaoOdeMatrix,
  dadaoRates,
  dadaoWorstCaseRates,
} from "./math/dadao.ts";
import { expm6 } from "./math/expm.ts";
import { startPairwise } from "./pairwise.ts";
import type { ScheduleProcess, Worker } from "./worker.ts";

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
 * gradient buffer ("gradients"). Scratch ("buffers"): two per worker, its own y + z snapshot as an
 * exchange's initiator and as a responder; received vectors come from the backend's pool.
 *
 * Each worker acts on its own six vectors only. Its processes:
 * - gradients: at each tick of its compute clock (Poisson of rate 1 per unit in the theory backend —
 *   the paper's model, whose superposition over the n workers is the authors' rate-n process with
 *   uniform marks —, back to back in the systems one), the gradient is taken at x as read when it
 *   starts, and the event (g = ∇f_i(x_start) − ν·x_i − ỹ_i with x_i, ỹ_i integrated to the completion
 *   time, then the jumps) happens when it completes (at once in the theory backend).
 * - communications: a gossip clock of rate deg_i·λ_mix/(2|E|) per unit picking a uniform neighbour, so
 *   that every edge ticks at λ_mix/|E| per unit as in the theory (both ends' clocks together). An
 *   exchange is a request and a reply (pairwise.ts): the initiator integrates itself to the tick and
 *   sends y_i + z_i; the partner integrates itself to the request's arrival and replies y_j + z_j; each
 *   side jumps by z −= β·(own sent − received), z̃ −= β̃·(own sent − received) when the other's vector
 *   arrives. m_i = −m_j exactly (float subtraction is antisymmetric), so Σz and Σz̃ are conserved; in
 *   the theory backend messages are instantaneous and the exchange is the theory's.
 * On a time-varying graph the constants use the worst χ's of the sequence; the switching period is the
 * scenario's (the authors switch every 1/χ₁: `dadaoWorstCaseRates(...).graphPeriod`). The ODE's time
 * unit is each worker's mean gradient time (ACiD's convention, reference §1), so a worker's clocks and
 * its ODE keep the theory's ratios whatever its device speed.
 */
export const dadao = defineSchedule({
  kind: "dadao",
  summary: "DADAO, Nabli & Oyallon 2023: decoupled accelerated decentralized optimization.",
  description: "Six vectors per worker, an exactly integrated linear ODE between Poisson events.",
  fields: {
    commRate: optional(
      finite({ above: 0 }, { description: "Communication events per unit time over the network." }),
      { words: "√(2χ₁χ₂) on L/|E|" },
    ),
    constants: withDefault(
      oneOf(["local", "global"], {
        description:
          "Which μ and L set the step sizes: local (min μ_i, max L_i over the workers' objectives, as the authors' code) or global (the average objective's).",
      }),
      "local",
    ),
    ...trainingFields,
  },
  params: (input): DadaoParams => ({
    constants: input.constants,
    ...(input.commRate === undefined ? {} : { commRate: input.commRate }),
  }),
  state: (_params: DadaoParams): readonly StateVector[] => [
    { name: "x", category: "parameters" },
    ...DADAO_VECTORS.slice(1).map((name): StateVector => ({ name, category: "optimizerState" })),
    { name: "g", category: "gradients" },
  ],
  constants: (run, params): DadaoRun => {
    const setup = dadaoSetup(run, params);
    // Uniform edge rates λ_mix/|E| in force: as exchanges per unit per worker, 2λ_mix/n.
    return { setup, plans: new EdgePlans((2 * setup.mixRate) / run.workers, { codeExponential: false }) };
  },
  start(worker, _params, { setup, plans }: DadaoRun) {
    const unit = Float64Array.of(worker.meanGradientTime());
    const core = new DadaoCore(worker.kernels, [dadaoStack(worker)], setup.constants, unit);
    worker.spawn(`dadao-gradient-${worker.rank}`, gradients(worker, core));
    const k = worker.kernels;
    startPairwise(
      worker,
      plans,
      {
        // Integrated to now, then y + z into this role's own buffer (kept until the partner's arrives).
        outgoing: (own) => {
          core.advance(0, worker.now());
          core.dual(0, own);
          return own;
        },
        // m = own − received, into the received buffer, then the jumps at the arrival time.
        apply: (received, own) => {
          k.axpby(received, 1, own, -1);
          core.advance(0, worker.now());
          core.commJump(0, received);
        },
      },
      true,
    );
    return { model: (out) => core.model(0, worker.now(), out) };
  },
});

/** The run's DADAO constants and its exchange plans, derived alike by every worker. */
export interface DadaoRun {
  readonly setup: DadaoSetup;
  readonly plans: EdgePlans;
}

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
  run: Pick<RunInfo, "problem" | "graph">,
  params: DadaoParams,
  path = "cluster.topology",
): DadaoSetup {
  const problem = run.problem;
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
  const sequence = run.graph.sequence;
  const rates =
    sequence === undefined ? dadaoRates(run.graph.at(0), path) : dadaoWorstCaseRates(sequence, path);
  const mixRate = params.commRate ?? rates.mixRate;
  if (!(mixRate > 0 && Number.isFinite(mixRate)))
    throw new RangeError(`DADAO commRate must be positive and finite, got ${mixRate}`);
  const constants = dadaoConstants({ mu, L, chi1Star: rates.chi1 / mixRate });
  return { constants, rates, mixRate };
}

/** A worker's six vectors, by name. */
export function dadaoStack(worker: Pick<Worker, "vector">): DadaoStack {
  const v = (name: string) => worker.vector(name);
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

/** The worker's gradients: at each compute slot, taken at x; the event applied when it completes. */
function* gradients(worker: Worker, core: DadaoCore): ScheduleProcess {
  const g = worker.vector("g");
  const x = core.stack(0)[0];
  for (;;) {
    yield* worker.computeSlot("poisson");
    core.advance(0, worker.now());
    yield worker.gradient(x, g);
    core.advance(0, worker.now());
    core.gradientJump(0, g);
    worker.count("gradients");
  }
}
