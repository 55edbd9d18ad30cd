/**
 * Learning-rate schedules as pure functions of the step t = 0, 1, 2… (the t-th optimizer step, or
 * whatever unit the caller counts: ACCO counts micro-batches [reference §4.2]).
 *
 * Warm-up (all kinds but "constant"): linear from `startLr` (default 0) at t = 0 to `lr` at
 * t = warmupSteps, i.e. lr(t) = startLr + (lr − startLr)·t/warmupSteps for t < warmupSteps (Hugging
 * Face's `get_cosine_schedule_with_warmup` convention, which starts at 0). A²CiD²'s Goyal et al. ramp
 * is `startLr` = base lr, `lr` = base lr·(batch·n/256) [reference §3.5].
 *
 * - "constant": lr.
 * - "warmup-constant": warm-up, then lr.
 * - "step-decay": warm-up, then lr·factor^k where k counts the milestones (fractions of totalSteps)
 *   reached: t ≥ fraction·totalSteps. A²CiD²'s CIFAR recipe: milestones [0.5, 0.75], factor 0.1;
 *   ImageNet: [0.3, 0.6, 0.8] [reference §3.5].
 * - "cosine": warm-up, then minLr + (lr − minLr)·½(1 + cos(π·p)), p = (t − W)/(totalSteps − W) capped at
 *   1, so minLr (default 0) from totalSteps on (ACCO's recipe: cosine with warm-up [reference §4.2]).
 */
/** A schedule's shape without its peak rate (the optimizer's own `lr` gives that). */
export type LrShape =
  | { readonly kind: "constant" }
  | { readonly kind: "warmup-constant"; readonly warmupSteps: number; readonly startLr?: number }
  | {
      readonly kind: "step-decay";
      readonly totalSteps: number;
      /** Fractions of totalSteps in [0, 1]. */
      readonly milestones: readonly number[];
      readonly factor: number;
      readonly warmupSteps?: number;
      readonly startLr?: number;
    }
  | {
      readonly kind: "cosine";
      readonly totalSteps: number;
      readonly warmupSteps?: number;
      readonly startLr?: number;
      readonly minLr?: number;
    };

/** A schedule with its peak learning rate. */
export type LrSchedule = LrShape & { readonly lr: number };

/** The learning rate at step t (t ≥ 0). */
export function learningRate(schedule: LrSchedule, t: number): number {
  if (schedule.kind === "constant") return schedule.lr;
  const warmup = schedule.warmupSteps ?? 0;
  if (t < warmup) {
    const start = schedule.startLr ?? 0;
    return start + ((schedule.lr - start) * t) / warmup;
  }
  switch (schedule.kind) {
    case "warmup-constant":
      return schedule.lr;
    case "step-decay": {
      let lr = schedule.lr;
      for (const fraction of schedule.milestones)
        if (t >= fraction * schedule.totalSteps) lr *= schedule.factor;
      return lr;
    }
    case "cosine": {
      const min = schedule.minLr ?? 0;
      const span = schedule.totalSteps - warmup;
      const progress = span <= 0 ? 1 : Math.min(1, (t - warmup) / span);
      return min + (schedule.lr - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
  }
}

/** The learning rate at step t of `shape` peaking at `lr` (constant `lr` when there is no shape). */
export function learningRateOf(lr: number, shape: LrShape | undefined, t: number): number {
  return shape === undefined ? lr : learningRate({ ...shape, lr }, t);
}
