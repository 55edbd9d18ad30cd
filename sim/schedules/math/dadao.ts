import type { Graph } from "../../cluster/topology/graph.ts";
import {
  normalisedLaplacianRate,
  spectralConstants,
  worstCaseSpectrum,
} from "../../cluster/topology/spectra.ts";
import type { TimeVaryingGraph } from "../../cluster/topology/time-varying.ts";
import { expm6 } from "./expm.ts";

/**
 * The math of DADAO (reference §2; Nabli & Oyallon, ICML 2023), transcribed from the authors' code
 * (`AdelNabli/DADAO` at eed1ed1, `optimizers.py::DADAO_optimizer`): constants, the 6 × 6 linear ODE
 * each node integrates between its events, the two event updates as in-place vector kernels, and
 * the Poisson rates. No engine here: a schedule draws the events and calls these.
 *
 * Each node i holds six d-vectors, ordered as in the code's ODE matrix: (x, x̃, y, ỹ, z, z̃).
 */

/** Indices of the six state vectors in `dadaoOdeMatrix` (rows and columns). */
export const DADAO_X = 0;
export const DADAO_X_TILDE = 1;
export const DADAO_Y = 2;
export const DADAO_Y_TILDE = 3;
export const DADAO_Z = 4;
export const DADAO_Z_TILDE = 5;

export interface DadaoProblemConstants {
  /** Strong convexity of every f_i (μ > 0). */
  readonly mu: number;
  /** Smoothness of every f_i (L ≥ μ). */
  readonly L: number;
  /** χ1 of the actual gossip Laplacian Λ (χ1 of L_norm divided by λ_mix; see `dadaoRates`). */
  readonly chi1Star: number;
}

/** Reference §2.3, with the code's names (`eta_tilde` = η̃ and so on). */
export interface DadaoConstants {
  /** ν = μ/2. */
  readonly nu: number;
  /** α = ¼√(ν/L): y → ỹ and z → z̃ relaxation in the ODE. */
  readonly alpha: number;
  /** α̃ = ⅛√(ν/L): z̃ → z relaxation. */
  readonly alphaTilde: number;
  /** η = ⅛√(ν/L): x → x̃ relaxation. */
  readonly eta: number;
  /** η̃ = η: x̃ → x relaxation. */
  readonly etaTilde: number;
  /** θ = ½√(L/ν): the ỹ drift −θ(νx̃ + y + z). */
  readonly theta: number;
  /** β = ½: z jump at a communication. */
  readonly beta: number;
  /** β̃ = 2χ1*√(L/ν): z̃ jump at a communication. */
  readonly betaTilde: number;
  /** δ = ¼√(ν/L). */
  readonly delta: number;
  /** δ̃ = 1 (ỹ jumps by (δ + δ̃)·g at a gradient). */
  readonly deltaTilde: number;
  /** γ = 1/(4L): x step at a gradient. */
  readonly gamma: number;
  /** γ̃ = 1/(4√(Lν)): x̃ step at a gradient. */
  readonly gammaTilde: number;
}

export function dadaoConstants({ mu, L, chi1Star }: DadaoProblemConstants): DadaoConstants {
  checkPositive(mu, "mu");
  checkPositive(L, "L");
  checkPositive(chi1Star, "chi1Star");
  const nu = mu / 2;
  // An L-smooth μ-strongly convex function has L ≥ μ; anything else is a mix-up of the two.
  if (L < mu) throw new RangeError(`L (${L}) must be at least mu (${mu})`);
  const small = Math.sqrt(nu / L);
  const large = Math.sqrt(L / nu);
  return {
    nu,
    alpha: small / 4,
    alphaTilde: small / 8,
    eta: small / 8,
    etaTilde: small / 8,
    theta: large / 2,
    beta: 1 / 2,
    betaTilde: 2 * chi1Star * large,
    delta: small / 4,
    deltaTilde: 1,
    gamma: 1 / (4 * L),
    gammaTilde: 1 / (4 * Math.sqrt(L * nu)),
  };
}

/**
 * The 6 × 6 matrix M of reference §2.4 (row-major), ds/dt = M·s for s = (x, x̃, y, ỹ, z, z̃):
 *   dx/dt = η(x̃ − x),  dx̃/dt = η̃(x − x̃),  dy/dt = α(ỹ − y),  dỹ/dt = −θ(νx̃ + y + z),
 *   dz/dt = α(z̃ − z),  dz̃/dt = α̃(z − z̃).
 * (The authors build it in float32 before casting to float64, so their entries are rounded to
 * single precision; these are the exact values.)
 */
export function dadaoOdeMatrix(c: DadaoConstants): Float64Array {
  const m = new Float64Array(36);
  const set = (row: number, col: number, value: number) => {
    m[row * 6 + col] = value;
  };
  set(DADAO_X, DADAO_X, -c.eta);
  set(DADAO_X, DADAO_X_TILDE, c.eta);
  set(DADAO_X_TILDE, DADAO_X, c.etaTilde);
  set(DADAO_X_TILDE, DADAO_X_TILDE, -c.etaTilde);
  set(DADAO_Y, DADAO_Y, -c.alpha);
  set(DADAO_Y, DADAO_Y_TILDE, c.alpha);
  set(DADAO_Y_TILDE, DADAO_X_TILDE, -c.theta * c.nu);
  set(DADAO_Y_TILDE, DADAO_Y, -c.theta);
  set(DADAO_Y_TILDE, DADAO_Z, -c.theta);
  set(DADAO_Z, DADAO_Z, -c.alpha);
  set(DADAO_Z, DADAO_Z_TILDE, c.alpha);
  set(DADAO_Z_TILDE, DADAO_Z, c.alphaTilde);
  set(DADAO_Z_TILDE, DADAO_Z_TILDE, -c.alphaTilde);
  return m;
}

/** One node's six d-vectors (all the same length). */
export interface DadaoNodeState {
  readonly x: Float64Array;
  readonly xTilde: Float64Array;
  readonly y: Float64Array;
  readonly yTilde: Float64Array;
  readonly z: Float64Array;
  readonly zTilde: Float64Array;
}

export function dadaoInitialState(x0: ArrayLike<number>): DadaoNodeState {
  const d = x0.length;
  return {
    x: Float64Array.from(x0),
    xTilde: new Float64Array(d),
    y: new Float64Array(d),
    yTilde: new Float64Array(d),
    z: new Float64Array(d),
    zTilde: new Float64Array(d),
  };
}

/**
 * Advances a node's ODE in place: s ← P·s coordinate by coordinate, where P = expm(M·Δt) is a
 * 6 × 6 propagator (from `expm6(dadaoOdeMatrix(c), Δt)` or `DadaoPropagator`).
 */
export function propagateDadaoNode(p: ArrayLike<number>, s: DadaoNodeState): void {
  const { x, xTilde, y, yTilde, z, zTilde } = s;
  const d = x.length;
  const p00 = p[0]!;
  const p01 = p[1]!;
  const p10 = p[6]!;
  const p11 = p[7]!;
  const p44 = p[28]!;
  const p45 = p[29]!;
  const p54 = p[34]!;
  const p55 = p[35]!;
  for (let k = 0; k < d; k++) {
    const s0 = x[k]!;
    const s1 = xTilde[k]!;
    const s2 = y[k]!;
    const s3 = yTilde[k]!;
    const s4 = z[k]!;
    const s5 = zTilde[k]!;
    // x, x̃ only see each other and z, z̃ only each other (M is block triangular), so their rows
    // have four zeros; y and ỹ see everything but x.
    x[k] = p00 * s0 + p01 * s1;
    xTilde[k] = p10 * s0 + p11 * s1;
    y[k] = p[12]! * s0 + p[13]! * s1 + p[14]! * s2 + p[15]! * s3 + p[16]! * s4 + p[17]! * s5;
    yTilde[k] = p[18]! * s0 + p[19]! * s1 + p[20]! * s2 + p[21]! * s3 + p[22]! * s4 + p[23]! * s5;
    z[k] = p44 * s4 + p45 * s5;
    zTilde[k] = p54 * s4 + p55 * s5;
  }
}

/**
 * Owns M and an output buffer, and integrates a node over its elapsed time Δt with one fresh
 * expm(M·Δt) per call (no cache: elapsed times rarely repeat, and a 6 × 6 exponential costs about
 * as much as a few 6 × 6 products).
 */
export class DadaoPropagator {
  readonly constants: DadaoConstants;
  readonly matrix: Float64Array;
  private readonly buffer = new Float64Array(36);

  constructor(constants: DadaoConstants) {
    this.constants = constants;
    this.matrix = dadaoOdeMatrix(constants);
  }

  /** expm(M·dt) in a buffer that the next call overwrites. */
  at(dt: number): Float64Array {
    if (!(dt >= 0)) throw new RangeError(`elapsed time must be ≥ 0, got ${dt}`);
    return expm6(this.matrix, dt, this.buffer);
  }

  /** Integrates a node's ODE over dt in place. */
  advance(s: DadaoNodeState, dt: number): void {
    if (dt === 0) return;
    propagateDadaoNode(this.at(dt), s);
  }
}

/**
 * Gradient event at node i (reference §2.5), after its ODE has been integrated to the event time.
 * `grad` = ∇f_i(x_i) at the post-ODE x_i (a stochastic gradient in the SGD variant). In place:
 *   g = ∇f_i(x_i) − ν·x_i − ỹ_i;   x_i −= γ·g;   x̃_i −= γ̃·g;   ỹ_i += (δ + δ̃)·g.
 * y, z and z̃ do not jump.
 */
export function applyDadaoGradientEvent(c: DadaoConstants, s: DadaoNodeState, grad: ArrayLike<number>): void {
  const { x, xTilde, yTilde } = s;
  const d = x.length;
  if (grad.length !== d) throw new RangeError(`gradient has ${grad.length} entries, state ${d}`);
  const { nu, gamma, gammaTilde } = c;
  const gain = c.delta + c.deltaTilde;
  for (let k = 0; k < d; k++) {
    const g = grad[k]! - nu * x[k]! - yTilde[k]!;
    x[k]! -= gamma * g;
    xTilde[k]! -= gammaTilde * g;
    yTilde[k]! += gain * g;
  }
}

/**
 * Communication event on edge (i, j) (reference §2.6), after both ODEs have been integrated to the
 * event time. In place, with m = (y_i + z_i) − (y_j + z_j):
 *   z_i −= β·m;  z̃_i −= β̃·m;  z_j += β·m;  z̃_j += β̃·m.
 * Each side needs only the other's y + z: one d-vector each way.
 */
export function applyDadaoCommEvent(c: DadaoConstants, si: DadaoNodeState, sj: DadaoNodeState): void {
  const d = si.z.length;
  if (sj.z.length !== d) throw new RangeError(`states of different sizes (${d}, ${sj.z.length})`);
  const { beta, betaTilde } = c;
  const { y: yi, z: zi, zTilde: zti } = si;
  const { y: yj, z: zj, zTilde: ztj } = sj;
  for (let k = 0; k < d; k++) {
    const m = yi[k]! + zi[k]! - (yj[k]! + zj[k]!);
    zi[k]! -= beta * m;
    zti[k]! -= betaTilde * m;
    zj[k]! += beta * m;
    ztj[k]! += betaTilde * m;
  }
}

/**
 * The same two updates as scalar coefficients, for schedules with their own vector kernels (axpy on
 * a device): gradient event g = ∇f_i(x_i) + gradX·x_i + gradYTilde·ỹ_i, then x += xStep·g,
 * x̃ += xTildeStep·g, ỹ += yTildeStep·g; communication event m = (y_i + z_i) − (y_j + z_j), then
 * z_i += zStep·m, z̃_i += zTildeStep·m, z_j −= zStep·m, z̃_j −= zTildeStep·m.
 */
export interface DadaoEventCoefficients {
  readonly gradX: number;
  readonly gradYTilde: number;
  readonly xStep: number;
  readonly xTildeStep: number;
  readonly yTildeStep: number;
  readonly zStep: number;
  readonly zTildeStep: number;
}

export function dadaoEventCoefficients(c: DadaoConstants): DadaoEventCoefficients {
  return {
    gradX: -c.nu,
    gradYTilde: -1,
    xStep: -c.gamma,
    xTildeStep: -c.gammaTilde,
    yTildeStep: c.delta + c.deltaTilde,
    zStep: -c.beta,
    zTildeStep: -c.betaTilde,
  };
}

/** Reference §2.3 and §2.7: the two Poisson processes and the graph constants they come from. */
export interface DadaoRates {
  /** λ_grad = n: every node computes one gradient per unit time. */
  readonly gradientRate: number;
  /** λ_mix = √(2·χ1·χ2) with χ's of L_norm: communications (edges) per unit time, whole network. */
  readonly mixRate: number;
  /** χ1 of L_norm = L_G/|E| (every edge at rate 1/|E|). */
  readonly chi1: number;
  /** χ2 of L_norm. */
  readonly chi2: number;
  /** χ1 of the actual Λ = λ_mix·L_norm: χ1/λ_mix (the `chi1Star` of `dadaoConstants`). */
  readonly chi1Star: number;
  /** χ2/λ_mix; χ1*·χ2* = ½ by construction. */
  readonly chi2Star: number;
}

/** Rates for a fixed graph: edges drawn uniformly, each at rate λ_mix/|E| (see `dadaoEdgeRate`). */
export function dadaoRates(g: Graph, path = "topology"): DadaoRates {
  const { chi1, chi2 } = spectralConstants(g, normalisedLaplacianRate(g), path);
  return ratesFrom(g.n, chi1, chi2);
}

/** Per-edge rate of the actual Λ on graph g: λ_mix/|E(g)|. */
export function dadaoEdgeRate(rates: DadaoRates, g: Graph): number {
  return rates.mixRate * normalisedLaplacianRate(g);
}

export interface DadaoWorstCaseRates extends DadaoRates {
  /**
   * The authors' switching period: graph ⌊t·χ1⌋ mod K holds at time t (χ1 the worst case of L_norm),
   * i.e. a new graph every 1/χ1 time units "as in ADOM+" (`run_optimizers.py::run_DADAO`).
   */
  readonly graphPeriod: number;
}

/**
 * Rates for a time-varying sequence (reference §1, §2.7): χ1 and χ2 are the worst cases over the
 * sequence, each graph's own L_norm (its own |E|), as `data.py::create_K_graphs` computes them.
 */
export function dadaoWorstCaseRates(tv: TimeVaryingGraph, path = "topology"): DadaoWorstCaseRates {
  const { chi1Star, chi2Star } = worstCaseSpectrum(tv, (g) => normalisedLaplacianRate(g), path);
  const n = tv.graphs[0]!.n;
  return { ...ratesFrom(n, chi1Star, chi2Star), graphPeriod: 1 / chi1Star };
}

function ratesFrom(n: number, chi1: number, chi2: number): DadaoRates {
  const mixRate = Math.sqrt(2 * chi1 * chi2);
  return { gradientRate: n, mixRate, chi1, chi2, chi1Star: chi1 / mixRate, chi2Star: chi2 / mixRate };
}

function checkPositive(value: number, name: string): void {
  if (!(value > 0 && Number.isFinite(value)))
    throw new RangeError(`${name} must be positive and finite, got ${value}`);
}
