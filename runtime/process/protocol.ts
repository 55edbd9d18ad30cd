/**
 * The messages of the multi-process runtime, by connection. Headers are JSON (framing.ts); vectors
 * and anything that must round-trip exactly (a loss may be NaN) travel as payload parts.
 *
 * Coordinator → worker (control connection):
 *   setup    { problem, device, vectorLength? }        build the problem, open the device
 *   peers    { peers: [{ host, port }] by worker }    where every worker's peer server listens
 *   gradient { id, worker, batch: bool }   [x f32, batch i32?]
 *   send     { id, dst }                    [data f32]   forward to worker dst over a peer connection
 *   stop     {}                                          release the device and exit
 *
 * Worker → coordinator (control connection):
 *   hello        { worker, pid, host, port }   first frame: who it is and where its peer server listens
 *   ready        { label, dimension, batchSize }   after setup
 *   refused      { from, reason, count }       a connection to its peer server did not prove the secret
 *   violation    { message }                   a peer broke the protocol (the worker exits with 1)
 *   failed       { message }                   setup failed (the worker exits)
 *   gradient-done   { id }            [g f32, loss f64[1]]
 *   gradient-failed { id, message }
 *   arrived      { id, src }          [data f32]   a transfer reached this worker (dst's copy)
 *   send-failed  { id, message }                   this worker (src) could not forward a transfer
 *
 * Every connection first proves the run's secret (auth.ts); frames beyond the run's bounds
 * (`frameLimitsOf`) are refused before they are allocated.
 *
 * Worker → worker (peer connection, opened by the sender):
 *   peer-hello { from }
 *   transfer   { id, src }            [data f32]
 */
import { InputError } from "../../sim/errors.ts";
import type { ProblemSpec } from "../../sim/problems/index.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import { type FrameLimits, vectorLimits } from "./framing.ts";

/** What a worker process needs to build the same problem, with the same shards, as the coordinator. */
export interface ProblemSource {
  /** The scenario's seed: data streams are named, so the same seed gives the same shards. */
  readonly seed: number;
  readonly workers: number;
  readonly spec: ProblemSpec;
}

/** The problem source of a scenario: what each worker process builds its shard from. */
export function problemSourceOf(scenario: Scenario): ProblemSource {
  if (scenario.problem === undefined) {
    throw new InputError("problem", undefined, "a problem: worker processes compute its gradients");
  }
  return { seed: scenario.seed, workers: scenario.cluster.workers, spec: scenario.problem };
}

export type DeviceKind = "cpu" | "webgpu";
export const deviceKinds: readonly DeviceKind[] = ["cpu", "webgpu"];

export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * A gradient request's batch may hold up to this many indices even when the problem's batch size is
 * smaller: a schedule may ask for a larger mini-batch (`gradient(w, x, g, samples)`).
 */
export const minBatchAllowance = 1 << 16;

/** The bounds of every vector-carrying frame of a run whose vectors have `vectorLength` entries. */
export interface VectorBounds {
  readonly vectorLength: number;
  readonly batchLength: number;
}

export function vectorBoundsOf(vectorLength: number, batchSize: number): VectorBounds {
  return { vectorLength, batchLength: Math.max(batchSize, minBatchAllowance) };
}

export function frameLimitsOf(bounds: VectorBounds): FrameLimits {
  return vectorLimits(bounds.vectorLength, bounds.batchLength);
}
