import { Schema } from "effect";
import { finite, integer, oneOf, quantity, withDefault } from "../fields.ts";

/**
 * What runs, discriminated by `kind`. To add a kind (the training algorithms): add its struct here and
 * to `ScheduleInput`, its decoded type to types.ts, and its case to resolve/schedule.ts.
 */

const message = (description: string) => quantity("size", { description }, { allowZero: true });

const AllreduceInput = Schema.Struct({
  kind: Schema.Literal("allreduce").annotate({ description: "Collectives back to back over a group." }),
  count: withDefault(integer({ min: 1 }, { description: "How many collectives. Default 1." }), 1),
  bytes: message("Size of the buffer each collective works on."),
  collective: withDefault(
    oneOf(["all-reduce", "reduce-scatter", "all-gather", "broadcast"], {
      description: "Which collective. Broadcast's root is the group's first member. Default all-reduce.",
    }),
    "all-reduce",
  ),
  algorithm: withDefault(
    oneOf(["ring", "tree", "halving-doubling", "closed-form"], {
      description:
        "How it is carried out; closed-form uses the analytic cost instead of messages. Default ring.",
    }),
    "ring",
  ),
  group: Schema.optionalKey(
    Schema.Array(integer({ min: 0 }, { description: "A worker id (< workers)." })).annotate({
      description: "Distinct worker ids taking part. Default: every worker.",
    }),
  ),
  gap: withDefault(
    quantity(
      "time",
      { description: "Idle time between consecutive collectives. Default 0 s." },
      { allowZero: true },
    ),
    0,
  ),
}).annotate({ description: "Repeated collectives, to measure their cost on a network." });

const TransferInput = Schema.Struct({
  src: integer({ min: 0 }, { description: "Sending worker." }),
  dst: integer({ min: 0 }, { description: "Receiving worker (≠ src)." }),
  bytes: message("Message size."),
  at: withDefault(quantity("time", { description: "Start time. Default 0 s." }, { allowZero: true }), 0),
}).annotate({ description: "One point-to-point transfer." });

const RandomTransfersInput = Schema.Struct({
  count: Schema.optionalKey(
    integer({ min: 1 }, { description: "Transfers in all. Default: until stop.time." }),
  ),
  bytes: message("Size of each transfer."),
  rate: finite({ above: 0 }, { description: "Arrivals per second over the whole cluster (Poisson)." }),
}).annotate({ description: "A Poisson stream of transfers between uniform random src ≠ dst." });

const P2PInput = Schema.Struct({
  kind: Schema.Literal("p2p").annotate({ description: "Point-to-point transfers." }),
  transfers: withDefault(Schema.Array(TransferInput).annotate({ description: "Explicit transfers." }), []),
  random: Schema.optionalKey(RandomTransfersInput),
}).annotate({ description: "Explicit transfers and/or a random stream (at least one)." });

const GossipTimingInput = Schema.Struct({
  kind: Schema.Literal("gossip-timing").annotate({
    description: "Back-to-back computes and Poisson gossip exchanges, timing only.",
  }),
  computeTime: Schema.optionalKey(
    quantity("time", { description: "Mean duration of one gradient's compute. Give this or flops." }),
  ),
  flops: Schema.optionalKey(
    quantity("flops", {
      description: "FLOPs per gradient, divided by peakFlops · efficiency · speed. Give this or computeTime.",
    }),
  ),
  rate: withDefault(
    finite(
      { above: 0 },
      {
        description:
          "Expected exchanges per gradient per worker: the gossip clock runs at rate / mean compute time. Default 1.",
      },
    ),
    1,
  ),
  bytes: message("Size of each exchange."),
}).annotate({
  description:
    "Every worker computes back to back and exchanges with a random neighbour of cluster.topology.",
});

export const ScheduleInput = Schema.Union([AllreduceInput, P2PInput, GossipTimingInput]).annotate({
  description: "What runs, chosen by `kind`.",
});

export type ScheduleInput = typeof ScheduleInput.Type;
