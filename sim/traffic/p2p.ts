import { Schema } from "effect";
import { finite, integer, optional, quantity, withDefault } from "../scenario/fields.ts";
import { workerIdExpected } from "../scenario/resolve/problems.ts";
import { type P2pParams, P2pTraffic } from "./p2p-traffic.ts";
import { defineTraffic } from "./traffic-entry.ts";

const message = (description: string) => quantity("size", { description }, { allowZero: true });

const transferInput = Schema.Struct({
  src: integer({ min: 0 }, { description: "Sending worker." }),
  dst: integer({ min: 0 }, { description: "Receiving worker (≠ src)." }),
  bytes: message("Message size."),
  at: withDefault(quantity("time", { description: "Start time." }, { allowZero: true }), "0 s"),
}).annotate({ description: "One point-to-point transfer." });

const randomTransfersInput = Schema.Struct({
  count: optional(integer({ min: 1 }, { description: "Transfers in all." }), { words: "until stop.time" }),
  bytes: message("Size of each transfer."),
  rate: finite({ above: 0 }, { description: "Arrivals per second over the whole cluster (Poisson)." }),
}).annotate({ description: "A Poisson stream of transfers between uniform random src ≠ dst." });

export const p2p = defineTraffic({
  kind: "p2p",
  summary: "Point-to-point transfers.",
  description: "Explicit transfers and/or a random stream (at least one).",
  fields: {
    transfers: withDefault(Schema.Array(transferInput).annotate({ description: "Explicit transfers." }), []),
    random: optional(randomTransfersInput),
  },
  resolve: (input, { workers, path, problems }): P2pParams => {
    input.transfers.forEach((t, i) => {
      if (t.src >= workers) problems.add([...path, "transfers", i, "src"], workerIdExpected(workers));
      if (t.dst >= workers) problems.add([...path, "transfers", i, "dst"], workerIdExpected(workers));
      if (t.src === t.dst) problems.add([...path, "transfers", i, "dst"], "a worker other than src");
    });
    if (input.transfers.length === 0 && input.random === undefined) {
      problems.add([...path, "transfers"], "at least one transfer, or a random stream in schedule.random");
    }
    if (input.random !== undefined && workers < 2) {
      problems.add([...path, "random"], "no random stream on a single worker (it needs src ≠ dst)");
    }
    // Stable sort: transfers starting together keep their file order.
    const transfers = [...input.transfers].sort((a, b) => a.at - b.at);
    return { transfers, random: input.random };
  },
  endless: (spec) =>
    spec.random !== undefined && spec.random.count === undefined
      ? "p2p with a random stream and no count"
      : undefined,
  build: (spec) => new P2pTraffic(spec),
});
