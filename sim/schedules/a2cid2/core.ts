import type { Vec } from "../../../kernels/kernels.ts";
import { learningRateOf } from "../../optim/lr-schedule.ts";
import type { SgdSettings } from "../gossip.ts";
import { type A2cid2Constants, mixCoefficients } from "../math/a2cid2.ts";
import type { Operations, ScheduleProcess } from "../operations.ts";

/**
 * The per-worker numbers of A²CiD² and the three things that change them (reference §3.2–3.3): the
 * mixing of (x, x̃) between events, a gradient step, and one side of a communication. Shared by the
 * theory clocks, the Poisson pairing and the matching of a2cid2.ts / matching.ts.
 */
export class A2cid2Workers {
  readonly ops: Operations;
  readonly constants: A2cid2Constants;
  /**
   * `code`: vectors are read for a gradient or a send before mixing, as in the authors' code (the
   * peer's pre-ODE x, §3.3); `theory`: the reader mixes first, so every read sees x(t).
   */
  readonly mixBeforeRead: boolean;
  readonly x: readonly Vec[];
  readonly xTilde: readonly Vec[];
  /** Time (seconds) of each worker's last mixing. */
  readonly lastMix: Float64Array;
  /** Seconds per theory time unit (one mean gradient) of each worker: 1 in theory mode. */
  readonly unit: Float64Array;

  constructor(ops: Operations, constants: A2cid2Constants, variant: "theory" | "code") {
    this.ops = ops;
    this.constants = constants;
    this.mixBeforeRead = variant === "theory";
    const n = ops.workers;
    this.x = Array.from({ length: n }, (_, w) => ops.vector(w, "x"));
    this.xTilde = Array.from({ length: n }, (_, w) => ops.vector(w, "xTilde"));
    this.lastMix = new Float64Array(n).fill(ops.now());
    this.unit = Float64Array.from({ length: n }, (_, w) => ops.meanGradientTime(w));
  }

  /** Elapsed theory time τ of worker w since its last mixing. */
  tau(w: number): number {
    return Math.max(0, this.ops.now() - this.lastMix[w]!) / this.unit[w]!;
  }

  /** (x, x̃) ← expm(Mτ)(x, x̃) up to now (`acid_ode`), then the last mixing time is now. */
  mix(w: number): void {
    const tau = this.tau(w);
    this.lastMix[w] = this.ops.now();
    if (tau === 0 || this.constants.eta === 0) return;
    const { a, b } = mixCoefficients(this.constants.eta, tau);
    this.ops.kernels.mix2(this.x[w]!, this.xTilde[w]!, a, b);
  }

  /** Mixes before a read in the theory variant (a gradient's input, a vector sent). */
  beforeRead(w: number): void {
    if (this.mixBeforeRead) this.mix(w);
  }

  /** out ← a·x + b·x̃ with the mixing up to now, leaving the state alone (the model an evaluation sees). */
  model(w: number, out: Vec): void {
    const { kernels } = this.ops;
    kernels.copy(out, this.x[w]!);
    const tau = this.tau(w);
    if (tau === 0 || this.constants.eta === 0) return;
    const { a, b } = mixCoefficients(this.constants.eta, tau);
    kernels.axpby(out, b, this.xTilde[w]!, a);
  }

  /**
   * Worker i's side of a communication, with its partner's x as received (`p2p_averaging.py`): mix up
   * to now, x̃_i += α̃(x_j − x_i), x_i ← x_i + ½(x_j − x_i). `fromJ` is consumed: it ends up holding
   * x_j − x_i, computed once (exact when they are close, as near consensus), so that the kicks carry
   * no rounding of α̃·x_j and α̃·x_i separately.
   */
  receive(i: number, fromJ: Vec): void {
    this.mix(i);
    const { kernels } = this.ops;
    const x = this.x[i]!;
    kernels.axpy(fromJ, -1, x);
    kernels.axpy(this.xTilde[i]!, this.constants.alphaTilde, fromJ);
    kernels.axpy(x, this.constants.alpha, fromJ);
  }
}

/**
 * One worker's gradient loop (reference §3.3, `ADP.step`): a (theory mode: Poisson-timed) stochastic
 * gradient on x, then the mixing up to now, the SGD step on x and the same update on x̃
 * (x̃ −= lr·m, m the momentum buffer; with momentum 0 it holds g + wd·x). `rendezvous`, when given,
 * runs before each gradient (the matching mode's comm/gradient barrier).
 */
export function* gradientLoop(
  workers: A2cid2Workers,
  w: number,
  sgd: SgdSettings,
  rendezvous?: () => ScheduleProcess,
): ScheduleProcess {
  const { ops } = workers;
  const x = workers.x[w]!;
  const xTilde = workers.xTilde[w]!;
  const g = ops.vector(w, "g");
  const momentum = sgd.momentum > 0 ? ops.vector(w, "momentum") : ops.scratch(w);
  // The same stream as gossip.ts's sgdLoop: runs of both schedules with one seed share gradient times.
  const clock = ops.random("gradient-clock", w);
  for (let t = 0; ; t++) {
    if (rendezvous !== undefined) yield* rendezvous();
    if (ops.fidelity === "theory") yield ops.sleep(clock.exponential(1));
    workers.beforeRead(w);
    yield ops.gradient(w, x, g);
    workers.mix(w);
    const lr = learningRateOf(sgd.lr, sgd.schedule, t);
    ops.kernels.sgdMomentum(x, momentum, g, lr, sgd.momentum, sgd.weightDecay);
    ops.kernels.axpy(xTilde, -lr, momentum);
    ops.count(w, "gradients");
  }
}
