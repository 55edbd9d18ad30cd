import { buildQuadraticProblem } from "../../../problems/index.ts";
import { finite, integer, withDefault } from "../../fields.ts";
import { defineProblem } from "../problem-entry.ts";

export const quadratic = defineProblem({
  kind: "quadratic",
  summary: "A separable quadratic: cheap O(d) gradients, for large dimensions.",
  description: "f_i(x) = ½ Σ_k h_k (x_k − c_ik)²; μ, L and x* exact.",
  fields: {
    dimension: withDefault(
      integer({ min: 1, max: 1e8 }, { description: "Number of parameters d." }),
      100_000,
    ),
    condition: withDefault(
      finite({ atLeast: 1 }, { description: "Condition number κ = L/μ (curvatures log-uniform in [1, κ])." }),
      10,
    ),
    heterogeneity: withDefault(
      finite({ atLeast: 0 }, { description: "Spread of the workers' optima around the common one." }),
      1,
    ),
    noise: withDefault(
      finite({ atLeast: 0 }, { description: "Standard deviation of the gradient noise per coordinate." }),
      0,
    ),
  },
  build: (spec, workers, streams, path) => buildQuadraticProblem(spec, workers, streams, path),
});
