/**
 * Entry point of the collectives: checks the request, picks the state machine for (kind, algorithm),
 * and starts it. Every algorithm decomposes into point-to-point transfers over any `Network`, so the
 * same collective runs on the α-β or the flow model, on any platform and any group of devices.
 */
import type { Simulation } from "../../engine/simulation.ts";
import type { Network } from "../network/network.ts";
import { BinaryTreeAllReduce } from "./binary-tree-all-reduce.ts";
import { BinomialBroadcast } from "./binomial-broadcast.ts";
import { ChainBroadcast } from "./chain-broadcast.ts";
import { estimateCollective } from "./closed-form.ts";
import { ClosedFormRun } from "./closed-form-run.ts";
import type { CollectiveListener, CollectiveSpec } from "./collective.ts";
import { checkCollective } from "./collective-checks.ts";
import type { CollectiveRun, CollectiveSetup } from "./collective-run.ts";
import { deferredCompletionsOf } from "./deferred-completions.ts";
import { HalvingDoubling } from "./halving-doubling.ts";
import { RingPipeline } from "./ring-pipeline.ts";

/**
 * Starts a collective now; `listener` is called from the event loop when it completes (never before
 * this returns). Returns the collective's id, unique within `sim`.
 */
export function startCollective(
  sim: Simulation,
  network: Network,
  spec: CollectiveSpec,
  listener: CollectiveListener,
): number {
  checkCollective(spec, network.platform.deviceCount);
  const deferred = deferredCompletionsOf(sim);
  const setup: CollectiveSetup = { id: deferred.newId(), sim, network, spec, listener };
  if (spec.algorithm === "closed-form") {
    const run = new ClosedFormRun(setup);
    deferred.finishAt(run, sim.now + estimateCollective(network.platform, spec));
    return run.id;
  }
  const run = createRun(setup);
  if (spec.group.length === 1) deferred.finishAt(run, sim.now);
  else run.begin();
  return run.id;
}

function createRun(setup: CollectiveSetup): CollectiveRun {
  const { kind, algorithm } = setup.spec;
  switch (algorithm) {
    case "ring":
      return kind === "broadcast" ? new ChainBroadcast(setup) : new RingPipeline(setup);
    case "tree":
      return kind === "broadcast" ? new BinomialBroadcast(setup) : new BinaryTreeAllReduce(setup);
    default:
      return new HalvingDoubling(setup);
  }
}
