/** Public surface of the collectives: start one, describe one, estimate one. */

export {
  binaryTreeAllReduceTime,
  collectiveTime,
  estimateCollective,
  type StepRoute,
  stepPairs,
  stepRoute,
} from "./closed-form.ts";
export type {
  CollectiveAlgorithm,
  CollectiveKind,
  CollectiveListener,
  CollectiveRecord,
  CollectiveSpec,
} from "./collective.ts";
export { algorithmsFor, checkCollective } from "./collective-checks.ts";
export { startCollective } from "./start-collective.ts";
