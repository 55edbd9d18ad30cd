import { randomRegularGraph } from "../../../cluster/topology/random-regular.ts";
import { integer } from "../../fields.ts";
import { defineTopology } from "../topology-entry.ts";

export const randomRegular = defineTopology({
  kind: "random-regular",
  summary: "A uniformly random graph in which every worker has `degree` neighbours.",
  fields: {
    degree: integer(
      { min: 1 },
      { description: "Neighbours per worker; < workers, and workers · degree even." },
    ),
  },
  resolve: (input, { workers, path, problems }) => {
    if (input.degree >= workers) {
      problems.add([...path, "degree"], `an integer < cluster.workers (${workers})`);
    } else if ((input.degree * workers) % 2 !== 0) {
      problems.add(
        [...path, "degree"],
        `an even degree (cluster.workers = ${workers} is odd, and degree · workers must be even)`,
      );
    }
    return input;
  },
  build: (spec, n, rng, path) => randomRegularGraph(n, spec.degree, rng, path),
});
