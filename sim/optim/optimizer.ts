import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { LrShape } from "./lr-schedule.ts";

/**
 * An optimizer, as data. PyTorch semantics, through the kernels: "sgd" is `kernels.sgdMomentum`
 * (L2 weight decay added to the gradient, heavy-ball momentum; momentum 0 is plain SGD), "adamw" is
 * `kernels.adamw` (decoupled weight decay, bias-corrected, step t ≥ 1).
 */
export type Optimizer = (
  | { readonly kind: "sgd"; readonly lr: number; readonly momentum: number; readonly weightDecay: number }
  | {
      readonly kind: "adamw";
      readonly lr: number;
      readonly beta1: number;
      readonly beta2: number;
      readonly eps: number;
      readonly weightDecay: number;
    }
) & {
  /** How `lr` (the peak) varies over optimizer steps; constant when absent. */
  readonly schedule?: LrShape;
};

/** A²CiD²'s recipe [reference §3.5]: SGD, momentum 0.9, weight decay 5e-4, base lr 0.1. */
export const a2cid2Sgd: Optimizer = { kind: "sgd", lr: 0.1, momentum: 0.9, weightDecay: 5e-4 };
/** ACCO's pre-training recipe [reference §4.4]: AdamW, β = (0.9, 0.95), lr 6e-4, weight decay 0.1; eps is PyTorch's default 1e-8 [not from the reference]. */
export const accoAdamw: Optimizer = {
  kind: "adamw",
  lr: 6e-4,
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  weightDecay: 0.1,
};

/** The per-worker vectors an optimizer keeps, in the order `step` takes them. */
export function optimizerStateNames(optimizer: Optimizer): readonly string[] {
  // SGD keeps its momentum buffer even with momentum 0 (the kernel writes g + wd·x into it).
  return optimizer.kind === "sgd" ? ["momentum"] : ["adamM", "adamV"];
}

/** The state vectors as a schedule declares them (memory category "optimizerState"). */
export function optimizerStateVectors(
  optimizer: Optimizer,
): readonly { readonly name: string; readonly category: "optimizerState" }[] {
  return optimizerStateNames(optimizer).map((name) => ({ name, category: "optimizerState" as const }));
}

/**
 * One optimizer step on x with gradient g: `state` holds the vectors named by `optimizerStateNames`,
 * in that order; t ≥ 1 counts the steps taken (AdamW's bias correction); lr defaults to the
 * optimizer's (pass a schedule's value to override).
 */
export function step(
  kernels: Kernels,
  optimizer: Optimizer,
  x: Vec,
  g: Vec,
  state: readonly Vec[],
  t: number,
  lr: number = optimizer.lr,
): void {
  const expected = optimizer.kind === "sgd" ? 1 : 2;
  if (state.length !== expected) {
    throw new RangeError(`${optimizer.kind} needs ${expected} state vector(s), got ${state.length}`);
  }
  if (optimizer.kind === "sgd") {
    kernels.sgdMomentum(x, state[0]!, g, lr, optimizer.momentum, optimizer.weightDecay);
  } else {
    const { beta1, beta2, eps, weightDecay } = optimizer;
    kernels.adamw(x, state[0]!, state[1]!, g, t, lr, beta1, beta2, eps, weightDecay);
  }
}
