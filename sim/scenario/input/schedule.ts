import { Schema } from "effect";
import { finite, integer, oneOf, optional, quantity, withDefault } from "../fields.ts";

/**
 * What runs, discriminated by `kind`. To add a kind (the training algorithms): add its struct here and
 * to `ScheduleInput`, its decoded type to types.ts, and its case to resolve/schedule.ts.
 */

const message = (description: string) => quantity("size", { description }, { allowZero: true });

const AllreduceInput = Schema.Struct({
  kind: Schema.Literal("allreduce").annotate({ description: "Collectives back to back over a group." }),
  count: withDefault(integer({ min: 1 }, { description: "How many collectives." }), 1),
  bytes: message("Size of the buffer each collective works on."),
  collective: withDefault(
    oneOf(["all-reduce", "reduce-scatter", "all-gather", "broadcast"], {
      description: "Which collective. Broadcast's root is the group's first member.",
    }),
    "all-reduce",
  ),
  algorithm: withDefault(
    oneOf(["ring", "tree", "halving-doubling", "closed-form"], {
      description: "How it is carried out; closed-form uses the analytic cost instead of messages.",
    }),
    "ring",
  ),
  group: optional(
    Schema.Array(integer({ min: 0 }, { description: "A worker id (< workers)." })).annotate({
      description: "Distinct worker ids taking part.",
    }),
    { words: "every worker" },
  ),
  gap: withDefault(
    quantity("time", { description: "Idle time between consecutive collectives." }, { allowZero: true }),
    "0 s",
  ),
}).annotate({ description: "Repeated collectives, to measure their cost on a network." });

const TransferInput = Schema.Struct({
  src: integer({ min: 0 }, { description: "Sending worker." }),
  dst: integer({ min: 0 }, { description: "Receiving worker (≠ src)." }),
  bytes: message("Message size."),
  at: withDefault(quantity("time", { description: "Start time." }, { allowZero: true }), "0 s"),
}).annotate({ description: "One point-to-point transfer." });

const RandomTransfersInput = Schema.Struct({
  count: optional(integer({ min: 1 }, { description: "Transfers in all." }), { words: "until stop.time" }),
  bytes: message("Size of each transfer."),
  rate: finite({ above: 0 }, { description: "Arrivals per second over the whole cluster (Poisson)." }),
}).annotate({ description: "A Poisson stream of transfers between uniform random src ≠ dst." });

const P2PInput = Schema.Struct({
  kind: Schema.Literal("p2p").annotate({ description: "Point-to-point transfers." }),
  transfers: withDefault(Schema.Array(TransferInput).annotate({ description: "Explicit transfers." }), []),
  random: optional(RandomTransfersInput),
}).annotate({ description: "Explicit transfers and/or a random stream (at least one)." });

const GossipTimingInput = Schema.Struct({
  kind: Schema.Literal("gossip-timing").annotate({
    description: "Back-to-back computes and Poisson gossip exchanges, timing only.",
  }),
  computeTime: optional(
    quantity("time", { description: "Mean duration of one gradient's compute. Give this or flops." }),
  ),
  flops: optional(
    quantity("flops", {
      description: "FLOPs per gradient, divided by peakFlops · efficiency · speed. Give this or computeTime.",
    }),
  ),
  rate: withDefault(
    finite(
      { above: 0 },
      {
        description:
          "Expected exchanges per gradient per worker: the gossip clock runs at rate / mean compute time.",
      },
    ),
    1,
  ),
  bytes: message("Size of each exchange."),
}).annotate({
  description:
    "Every worker computes back to back and exchanges with a random neighbour of cluster.topology.",
});

/** Fields every training schedule has. */
const trainingFields = {
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
const lrScheduleInput = optional(
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
const sgdFields = {
  lrSchedule: lrScheduleInput,
  lr: withDefault(finite({ above: 0 }, { description: "Learning rate." }), 0.05),
  momentum: withDefault(finite({ atLeast: 0, below: 1 }, { description: "Momentum μ." }), 0),
  weightDecay: withDefault(finite({ atLeast: 0 }, { description: "L2 weight decay." }), 0),
};

const GossipInput = Schema.Struct({
  kind: Schema.Literal("gossip").annotate({
    description: "Asynchronous pairwise gossip averaging with concurrent SGD (AD-PSGD style).",
  }),
  rate: withDefault(
    finite({ above: 0 }, { description: "Expected pairwise exchanges per gradient, per worker." }),
    1,
  ),
  ...trainingFields,
  ...sgdFields,
}).annotate({ description: "Gradient steps and pairwise averagings of neighbours, concurrently." });

const A2cid2Input = Schema.Struct({
  kind: Schema.Literal("a2cid2").annotate({
    description: "Gossip with A²CiD²'s continuous momentum (x, x̃), Nabli, Belilovsky & Oyallon 2023.",
  }),
  rate: withDefault(
    finite({ above: 0 }, { description: "Expected pairwise exchanges per gradient, per worker." }),
    1,
  ),
  pairing: withDefault(
    oneOf(["poisson", "matching"], {
      description:
        "systems mode: poisson (each worker's own Poisson gossip clock) or matching (the authors' code: available workers paired by a coordinator, with the comm/gradient rendezvous of §3.4).",
    }),
    "poisson",
  ),
  variant: withDefault(
    oneOf(["theory", "code"], {
      description:
        "theory: both ends apply the mixing ODE before exchanging; code: each peer sends its pre-ODE x, as the authors' code does.",
    }),
    "theory",
  ),
  eta: optional(finite({ above: 0 }, { description: "The mixing rate η, overriding the theory's value." }), {
    words: "1/(2√(χ₁χ₂)) of the gossip Laplacian",
  }),
  alphaTilde: optional(
    finite({ atLeast: 0 }, { description: "The momentum coupling α̃, overriding the theory's value." }),
    { words: "½√(χ₁/χ₂)" },
  ),
  ...trainingFields,
  ...sgdFields,
}).annotate({ description: "Pairwise gossip plus a continuous momentum that mixes x and x̃ between events." });

const DadaoInput = Schema.Struct({
  kind: Schema.Literal("dadao").annotate({
    description: "DADAO, Nabli & Oyallon 2023: decoupled accelerated decentralized optimization.",
  }),
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
}).annotate({
  description: "Six vectors per worker, an exactly integrated linear ODE between Poisson events.",
});

const optimizerInput = withDefault(
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

const accumulation = withDefault(
  integer({ min: 1 }, { description: "Micro-batches each worker accumulates per optimizer step." }),
  1,
);
const warmupSteps = withDefault(
  integer(
    { min: 0 },
    { description: "Optimizer steps run synchronously (like DDP) before the method starts." },
  ),
  0,
);

const AllreduceSgdInput = Schema.Struct({
  kind: Schema.Literal("allreduce-sgd").annotate({ description: "Synchronous data parallelism (DDP)." }),
  optimizer: optimizerInput,
  accumulation,
  buckets: withDefault(
    integer(
      { min: 1 },
      {
        description: "Gradient buckets all-reduced as the backward pass produces them (1: after it).",
      },
    ),
    1,
  ),
  ...trainingFields,
}).annotate({
  description: "Every step: gradients, an all-reduce of their mean, the same optimizer step everywhere.",
});

const Zero1Input = Schema.Struct({
  kind: Schema.Literal("zero1").annotate({ description: "ZeRO-1: optimizer state sharded across workers." }),
  optimizer: optimizerInput,
  accumulation,
  ...trainingFields,
}).annotate({
  description: "Reduce-scatter of gradients, optimizer step on the local shard, all-gather of parameters.",
});

const DpuInput = Schema.Struct({
  kind: Schema.Literal("dpu").annotate({ description: "Delayed parameter update (ZeRO-Offload's DPU)." }),
  optimizer: optimizerInput,
  accumulation,
  warmupSteps,
  ...trainingFields,
}).annotate({
  description: "The optimizer step runs while the next gradients are computed: a one-step delay.",
});

const AccoInput = Schema.Struct({
  kind: Schema.Literal("acco").annotate({
    description: "ACCO, Nabli et al. 2024: accumulate while you communicate.",
  }),
  optimizer: optimizerInput,
  accumulation,
  warmupSteps,
  ...trainingFields,
}).annotate({
  description:
    "Two streams: communication and sharded optimizer steps run while the next micro-batches accumulate; tentative and real rounds.",
});

export const ScheduleInput = Schema.Union([
  AllreduceInput,
  P2PInput,
  GossipTimingInput,
  GossipInput,
  A2cid2Input,
  DadaoInput,
  AllreduceSgdInput,
  Zero1Input,
  DpuInput,
  AccoInput,
]).annotate({
  description: "What runs, chosen by `kind`.",
});

export type ScheduleInput = typeof ScheduleInput.Type;
