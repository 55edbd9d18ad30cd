import type { Graph } from "../../sim/cluster/topology/graph.ts";
import type { RandomStream } from "../../sim/engine/random.ts";
import {
  applyDadaoCommEvent,
  applyDadaoGradientEvent,
  type DadaoConstants,
  type DadaoNodeState,
  DadaoPropagator,
  dadaoInitialState,
} from "../../sim/schedules/math/dadao.ts";

/**
 * A reference DADAO run on plain Float64Arrays, following the authors' event simulation
 * (reference §1 "Event simulation", §2.10): two superposed Poisson streams (gradients at λ_grad,
 * communications at λ_mix), a uniform node per gradient and a uniform edge per communication, each
 * node integrating its ODE lazily up to its next event.
 */
export interface DadaoReferenceRun {
  readonly states: DadaoNodeState[];
  readonly gradients: number;
  readonly communications: number;
}

export function simulateDadaoReference(options: {
  readonly graph: Graph;
  readonly constants: DadaoConstants;
  readonly gradientRate: number;
  readonly mixRate: number;
  readonly tMax: number;
  readonly x0: ArrayLike<number>;
  /** ∇f_i at x, written into `out`. */
  readonly gradient: (i: number, x: Float64Array, out: Float64Array) => void;
  readonly random: RandomStream;
}): DadaoReferenceRun {
  const { graph, constants, gradientRate, mixRate, tMax, x0, gradient, random } = options;
  const n = graph.n;
  const states = Array.from({ length: n }, () => dadaoInitialState(x0));
  const last = new Float64Array(n);
  const propagator = new DadaoPropagator(constants);
  const grad = new Float64Array(x0.length);
  const edges = graph.edgeU.length;
  let nextGradient = random.exponential(gradientRate);
  let nextMix = random.exponential(mixRate);
  let gradients = 0;
  let communications = 0;
  const advance = (i: number, t: number) => {
    propagator.advance(states[i]!, t - last[i]!);
    last[i] = t;
  };
  // The authors stop as soon as either stream passes t_max.
  while (nextGradient <= tMax && nextMix <= tMax) {
    if (nextGradient < nextMix) {
      const t = nextGradient;
      const i = random.int(n);
      advance(i, t);
      gradient(i, states[i]!.x, grad);
      applyDadaoGradientEvent(constants, states[i]!, grad);
      gradients++;
      nextGradient += random.exponential(gradientRate);
    } else {
      const t = nextMix;
      const e = random.int(edges);
      const i = graph.edgeU[e]!;
      const j = graph.edgeV[e]!;
      advance(i, t);
      advance(j, t);
      applyDadaoCommEvent(constants, states[i]!, states[j]!);
      communications++;
      nextMix += random.exponential(mixRate);
    }
  }
  return { states, gradients, communications };
}
