import type { Vec } from "../../../kernels/kernels.ts";
import { learningRateOf } from "../../optim/lr-schedule.ts";
import { momentumOf, type SgdSettings } from "../gossip.ts";
import { type A2cid2Constants, mixCoefficients } from "../math/a2cid2.ts";
import type { ExchangeRule } from "../pairwise.ts";
import type { ScheduleProcess, Worker } from "../worker.ts";

/**
 * One worker's numbers of A²CiD² and the three things that change them (reference §3.2–3.3): the
 * mixing of (x, x̃) between events, a gradient step, and its side of a communication. Shared by the
 * Poisson pairing of a2cid2.ts and the matching of matching.ts.
 */
export class A2cid2Worker implements ExchangeRule {
  readonly worker: Worker;
  readonly constants: A2cid2Constants;
  /**
   * `code`: vectors are read for a gradient or a send before mixing, as in the authors' code (the
   * peer's pre-ODE x, §3.3); `theory`: the reader mixes first, so every read sees x(t).
   */
  readonly mixBeforeRead: boolean;
  readonly x: Vec;
  readonly xTilde: Vec;
  /** Time (seconds) of the last mixing. */
  private lastMix: number;
  /** Seconds per theory time unit (one mean gradient): 1 in the theory backend. */
  readonly unit: number;

  constructor(worker: Worker, constants: A2cid2Constants, variant: "theory" | "code") {
    this.worker = worker;
    this.constants = constants;
    this.mixBeforeRead = variant === "theory";
    this.x = worker.vector("x");
    this.xTilde = worker.vector("xTilde");
    this.lastMix = worker.now();
    this.unit = worker.meanGradientTime();
  }

  /** Elapsed theory time τ since the last mixing. */
  tau(): number {
    return Math.max(0, this.worker.now() - this.lastMix) / this.unit;
  }

  /** (x, x̃) ← expm(Mτ)(x, x̃) up to now (`acid_ode`), then the last mixing time is now. */
  mix(): void {
    const { a, b } = this.takeMix();
    if (a !== 1 || b !== 0) this.worker.kernels.mix2(this.x, this.xTilde, a, b);
  }

  /**
   * The mixing coefficients up to now, for a fused kernel to apply, and the last mixing time is now:
   * a = 1, b = 0 (no mixing) when no time elapsed or η = 0.
   */
  takeMix(): { a: number; b: number } {
    const tau = this.tau();
    this.lastMix = this.worker.now();
    if (tau === 0 || this.constants.eta === 0) return { a: 1, b: 0 };
    return mixCoefficients(this.constants.eta, tau);
  }

  /** Mixes before a read in the theory variant (a gradient's input, a vector sent). */
  beforeRead(): void {
    if (this.mixBeforeRead) this.mix();
  }

  /** out ← a·x + b·x̃ with the mixing up to now, leaving the state alone (the model an evaluation sees). */
  model(out: Vec): void {
    const { kernels } = this.worker;
    kernels.copy(out, this.x);
    const tau = this.tau();
    if (tau === 0 || this.constants.eta === 0) return;
    const { a, b } = mixCoefficients(this.constants.eta, tau);
    kernels.axpby(out, b, this.xTilde, a);
  }

  /** What this worker sends in an exchange: x, mixed first in the theory variant. */
  outgoing(): Vec {
    this.beforeRead();
    return this.x;
  }

  /**
   * This worker's side of a communication, with its partner's x as received (`p2p_averaging.py`): mix
   * up to now, x̃ += α̃(x_j − x), x ← x + ½(x_j − x), in one fused pass (a2cid2Exchange): x_j − x is
   * computed once per coordinate (exact when they are close, as near consensus), so that the kicks
   * carry no rounding of α̃·x_j and α̃·x separately. `fromJ` is only read.
   */
  apply(fromJ: Vec): void {
    this.mix();
    this.worker.kernels.a2cid2Exchange(
      this.x,
      this.xTilde,
      fromJ,
      this.constants.alpha,
      this.constants.alphaTilde,
    );
  }
}

/**
 * The worker's gradient loop (reference §3.3, `ADP.step`): at its next compute slot, a stochastic
 * gradient on x, then the mixing up to now, the SGD step on x and the same update on x̃ (x̃ −= lr·m, m
 * the momentum buffer; with momentum 0 it holds g + wd·x). `rendezvous`, when given, runs before each
 * gradient (the matching mode's comm/gradient barrier).
 */
export function* gradientLoop(
  state: A2cid2Worker,
  sgd: SgdSettings,
  rendezvous?: () => ScheduleProcess,
): ScheduleProcess {
  const { worker, x, xTilde } = state;
  const g = worker.vector("g");
  const momentum = momentumOf(worker, sgd);
  for (let t = 0; ; t++) {
    if (rendezvous !== undefined) yield* rendezvous();
    yield* worker.computeSlot("poisson");
    state.beforeRead();
    yield worker.gradient(x, g);
    // The mixing up to now, the SGD step on x and x̃ −= lr·m in one fused pass (a2cid2GradientStep),
    // the same arithmetic in the same order as mix2, sgdMomentum and axpy one after another.
    const { a, b } = state.takeMix();
    const lr = learningRateOf(sgd.lr, sgd.schedule, t);
    worker.kernels.a2cid2GradientStep(x, xTilde, momentum, g, a, b, lr, sgd.momentum, sgd.weightDecay);
    worker.count("gradients");
  }
}
