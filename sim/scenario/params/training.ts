import { Schema } from "effect";
import type { LrShape } from "../../optim/lr-schedule.ts";
import type { Optimizer } from "../../optim/optimizer.ts";
import type { EntryPath as Path, ResolveContext } from "../../registry.ts";
import { finite, integer, oneOf, optional, quantity, withDefault } from "../fields.ts";

type Problems = ResolveContext["problems"];

/**
 * The parameter groups training schedules share, as scenario fields (with their documentation) and
 * how each is resolved into what a schedule takes: the fidelity and sampling every training schedule
 * has, plain SGD settings (the gossip family), the optimizer (the synchronous family), the
 * learning-rate schedule. A schedule's registry entry (sim/schedules/<kind>.ts) spreads the groups it
 * uses into its `fields` and calls their resolvers from its `params`.
 */

/** Fields every training schedule has. */
export const trainingFields = {
  fidelity: withDefault(
    oneOf(["theory", "systems"], {
      description:
        "theory: the papers' continuous-time model (instantaneous events on Poisson clocks, time unit = one gradient); systems: compute and transfers take time from the cost model.",
    }),
    "systems",
  ),
  sampleEvery: optional(
    quantity("time", { description: "Simulated time between two samples of loss and consensus." }),
    { words: "stop.time / 100" },
  ),
};

/** How the learning rate varies over steps; the peak is the optimizer's lr. */
export const lrScheduleInput = optional(
  Schema.Struct({
    kind: oneOf(["constant", "warmup-constant", "step-decay", "cosine"], {
      description: "constant, linear warm-up then constant, step decay, or cosine (after the warm-up).",
    }),
    warmupSteps: withDefault(
      integer({ min: 0 }, { description: "Steps of linear warm-up from startLr to lr." }),
      0,
    ),
    totalSteps: optional(
      integer({ min: 1 }, { description: "Steps of the whole run (step-decay and cosine need it)." }),
    ),
    milestones: withDefault(
      Schema.Array(finite({ atLeast: 0, atMost: 1 }, { description: "A fraction of totalSteps." })).annotate({
        description: "step-decay: fractions of totalSteps at which lr is multiplied by factor.",
      }),
      [0.5, 0.75],
    ),
    factor: withDefault(finite({ above: 0, atMost: 1 }, { description: "step-decay multiplier." }), 0.1),
    startLr: withDefault(
      finite({ atLeast: 0 }, { description: "Learning rate at step 0 of the warm-up." }),
      0,
    ),
    minLr: withDefault(finite({ atLeast: 0 }, { description: "cosine: the final learning rate." }), 0),
  }).annotate({
    description: "The learning-rate schedule (steps: each worker's steps, or optimizer steps).",
  }),
);

/** Plain SGD settings (PyTorch semantics). */
export const sgdFields = {
  lrSchedule: lrScheduleInput,
  lr: withDefault(finite({ above: 0 }, { description: "Learning rate." }), 0.05),
  momentum: withDefault(finite({ atLeast: 0, below: 1 }, { description: "Momentum μ." }), 0),
  weightDecay: withDefault(finite({ atLeast: 0 }, { description: "L2 weight decay." }), 0),
};

export const optimizerInput = withDefault(
  Schema.Struct({
    kind: withDefault(oneOf(["sgd", "adamw"], { description: "sgd (with momentum) or adamw." }), "adamw"),
    lr: withDefault(finite({ above: 0 }, { description: "Learning rate." }), 6e-4),
    momentum: withDefault(finite({ atLeast: 0, below: 1 }, { description: "SGD momentum." }), 0.9),
    weightDecay: withDefault(finite({ atLeast: 0 }, { description: "Weight decay." }), 0.1),
    beta1: withDefault(finite({ atLeast: 0, below: 1 }, { description: "AdamW β₁." }), 0.9),
    beta2: withDefault(finite({ atLeast: 0, below: 1 }, { description: "AdamW β₂." }), 0.95),
    eps: withDefault(finite({ above: 0 }, { description: "AdamW ε." }), 1e-8),
    schedule: lrScheduleInput,
  }).annotate({
    description: "The optimizer (PyTorch semantics); the defaults are AdamW as in ACCO's recipe.",
  }),
  {},
);

export const accumulation = withDefault(
  integer({ min: 1 }, { description: "Micro-batches each worker accumulates per optimizer step." }),
  1,
);
export const warmupSteps = withDefault(
  integer(
    { min: 0 },
    { description: "Optimizer steps run synchronously (like DDP) before the method starts." },
  ),
  0,
);

type LrScheduleInput = NonNullable<Schema.Schema.Type<typeof lrScheduleInput.schema>>;

/** What the SGD fields decode to. */
export interface SgdInput {
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly lrSchedule?: LrScheduleInput | undefined;
}

/** SGD settings (PyTorch semantics) from the SGD fields at `path` (the schedule). */
export function sgdSettingsOf(input: SgdInput, path: Path, problems: Problems) {
  const { lr, momentum, weightDecay, lrSchedule } = input;
  const schedule = lrShape(lrSchedule, [...path, "lrSchedule"], problems);
  return { lr, momentum, weightDecay, ...(schedule === undefined ? {} : { schedule }) };
}

type OptimizerInput = Schema.Schema.Type<typeof optimizerInput>;

/** The optimizer from the optimizer field at `path` (the schedule's `optimizer`). */
export function optimizerOf(input: OptimizerInput, path: Path, problems: Problems): Optimizer {
  const { kind, lr, momentum, weightDecay, beta1, beta2, eps } = input;
  const schedule = lrShape(input.schedule, [...path, "schedule"], problems);
  const shaped = schedule === undefined ? {} : { schedule };
  return kind === "sgd"
    ? { kind, lr, momentum, weightDecay, ...shaped }
    : { kind, lr, beta1, beta2, eps, weightDecay, ...shaped };
}

/** The decoded learning-rate schedule; step-decay and cosine need the run's length. */
export function lrShape(
  input: LrScheduleInput | undefined,
  path: readonly (string | number)[],
  problems: Problems,
): LrShape | undefined {
  if (input === undefined || input.kind === "constant") return undefined;
  const { warmupSteps, startLr } = input;
  if (input.kind === "warmup-constant") return { kind: "warmup-constant", warmupSteps, startLr };
  if (input.totalSteps === undefined) {
    problems.add([...path, "totalSteps"], `the run's number of steps (${input.kind} needs it)`);
    return undefined;
  }
  const totalSteps = input.totalSteps;
  return input.kind === "step-decay"
    ? {
        kind: "step-decay",
        totalSteps,
        milestones: input.milestones,
        factor: input.factor,
        warmupSteps,
        startLr,
      }
    : { kind: "cosine", totalSteps, warmupSteps, startLr, minLr: input.minLr };
}
