import { Registry } from "../../registry.ts";
import type { AnyProblemEntry } from "./problem-entry.ts";
import { leastSquares } from "./problems/least-squares.ts";
import { logistic } from "./problems/logistic.ts";
import { mlp } from "./problems/mlp.ts";
import { preset } from "./problems/preset.ts";
import { quadratic } from "./problems/quadratic.ts";

/**
 * The objectives a scenario may name in `problem.kind`, in the reference's order. A new one is one
 * file in problems/ (see problem-entry.ts) and one line here, or `problemRegistry.add(entry)` at run time.
 */
export const problemRegistry = new Registry<AnyProblemEntry>("problem", [
  leastSquares,
  logistic,
  quadratic,
  mlp,
  preset,
]);
