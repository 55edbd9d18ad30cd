import { Schema } from "effect";
import { integer, oneOf, optional, quantity, withDefault } from "../scenario/fields.ts";
import { workerIdExpected } from "../scenario/resolve/problems.ts";
import { type AllreduceSpec, CollectiveTraffic } from "./collective-traffic.ts";
import { defineTraffic } from "./traffic-entry.ts";

export const allreduce = defineTraffic({
  kind: "allreduce",
  summary: "Collectives back to back over a group.",
  description: "Repeated collectives, to measure their cost on a network.",
  fields: {
    count: withDefault(integer({ min: 1 }, { description: "How many collectives." }), 1),
    bytes: quantity(
      "size",
      { description: "Size of the buffer each collective works on." },
      { allowZero: true },
    ),
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
  },
  resolve: (input, { workers, path, problems }): AllreduceSpec => {
    const { count, bytes, collective, algorithm, gap, group } = input;
    const rest = { count, bytes, collective, algorithm, gap };
    if (group === undefined) return { ...rest, group: Array.from({ length: workers }, (_, i) => i) };
    if (group.length === 0) problems.add([...path, "group"], "a non-empty list of worker ids");
    const seen = new Set<number>();
    group.forEach((worker, i) => {
      if (worker >= workers) problems.add([...path, "group", i], workerIdExpected(workers));
      else if (seen.has(worker)) problems.add([...path, "group", i], "a worker not already in the group");
      seen.add(worker);
    });
    return { ...rest, group };
  },
  endless: () => undefined,
  build: (spec) => new CollectiveTraffic(spec),
});
