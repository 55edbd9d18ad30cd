/**
 * Analytic costs of the collectives on an idle network, each the textbook formula of the algorithm as
 * implemented here, in terms of ℓ (latency of one step's route) and B (bottleneck bandwidth of one
 * step's route). On a platform where step routes differ, `stepRoute` takes the worst pair the algorithm
 * uses (largest latency, smallest bandwidth), which bounds the idle-network time from above.
 *
 * These back the "closed-form" algorithm (no messages, one event) and are what the message-level
 * simulations are tested against.
 */
import { InputError } from "../../errors.ts";
import type { Platform } from "../network/platform.ts";
import { routeBottleneck, routeLatency } from "../network/route-metrics.ts";
import type { CollectiveAlgorithm, CollectiveKind, CollectiveSpec } from "./collective.ts";
import { algorithmsFor } from "./collective-checks.ts";

export interface StepRoute {
  /** ℓ, seconds. */
  readonly latency: number;
  /** B, bytes per second. */
  readonly bandwidth: number;
}

/** The algorithm whose formula "closed-form" uses: the ring (pipelined chain for broadcast). */
export function concreteAlgorithm(
  algorithm: CollectiveAlgorithm,
): Exclude<CollectiveAlgorithm, "closed-form"> {
  return algorithm === "closed-form" ? "ring" : algorithm;
}

/**
 * Time for `kind` by `algorithm` over n ranks on a buffer of S bytes, every step route being `step`.
 * `chunks` is the pipelined chain's chunk count (default n).
 */
export function collectiveTime(
  kind: CollectiveKind,
  algorithm: CollectiveAlgorithm,
  n: number,
  bytes: number,
  step: StepRoute,
  chunks = n,
): number {
  if (!algorithmsFor(kind).includes(algorithm)) {
    throw new InputError(
      "collective.algorithm",
      algorithm,
      `for ${kind}, one of ${algorithmsFor(kind).join(", ")}`,
    );
  }
  if (n <= 1) return 0;
  const l = step.latency;
  const B = step.bandwidth;
  const S = bytes;
  const whole = l + S / B;
  switch (concreteAlgorithm(algorithm)) {
    case "ring":
      if (kind === "broadcast") return (n - 2 + chunks) * (l + S / (chunks * B));
      return (kind === "all-reduce" ? 2 : 1) * (n - 1) * (l + S / (n * B));
    case "tree":
      return kind === "broadcast" ? Math.ceil(Math.log2(n)) * whole : binaryTreeAllReduceTime(n, whole);
    case "halving-doubling": {
      const k = Math.log2(n);
      const phases = kind === "all-reduce" ? 2 : 1;
      return phases * (k * l + ((n - 1) / n) * (S / B));
    }
  }
}

/**
 * Binary-tree all-reduce under the one-port model of `BinaryTreeAllReduce`, each message taking T:
 * exact for any n (4hT when n = 2^(h+1) − 1). Computed over the heap-ordered tree in O(n).
 */
export function binaryTreeAllReduceTime(n: number, T: number): number {
  const ready = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const left = 2 * i + 1;
    if (left >= n) continue;
    let t = ready[left]! + T;
    if (left + 1 < n) t = Math.max(ready[left + 1]!, t) + T;
    ready[i] = t;
  }
  const has = new Float64Array(n);
  has[0] = ready[0]!;
  let end = has[0]!;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      const child = 2 * i + 1 + c;
      if (child >= n) break;
      has[child] = has[i]! + (c + 1) * T;
      if (has[child]! > end) end = has[child]!;
    }
  }
  return end;
}

/** The (sender, receiver) rank pairs the algorithm uses, flattened: [s0, r0, s1, r1, …]. */
export function stepPairs(kind: CollectiveKind, algorithm: CollectiveAlgorithm, n: number): Int32Array {
  const pairs: number[] = [];
  switch (concreteAlgorithm(algorithm)) {
    case "ring":
      for (let r = 0; r + 1 < n; r++) pairs.push(r, r + 1);
      if (kind !== "broadcast" && n > 2) pairs.push(n - 1, 0);
      break;
    case "tree":
      for (let v = 1; v < n; v++) {
        const parent = kind === "broadcast" ? v - (v & -v) : (v - 1) >> 1;
        pairs.push(parent, v);
        if (kind !== "broadcast") pairs.push(v, parent);
      }
      break;
    case "halving-doubling":
      for (let d = 1; d < n; d *= 2) for (let r = 0; r < n; r++) pairs.push(r, r ^ d);
      break;
  }
  return Int32Array.from(pairs);
}

/** Worst latency and bandwidth over the routes between the given pairs of group members. */
export function stepRoute(platform: Platform, group: ArrayLike<number>, pairs: Int32Array): StepRoute {
  let latency = 0;
  let bandwidth = Number.POSITIVE_INFINITY;
  for (let p = 0; p < pairs.length; p += 2) {
    const route = platform.route(group[pairs[p]!]!, group[pairs[p + 1]!]!);
    latency = Math.max(latency, routeLatency(platform, route));
    bandwidth = Math.min(bandwidth, routeBottleneck(platform, route));
  }
  return { latency, bandwidth };
}

/** Closed-form time of `spec` on `platform` (idle network, worst step route). */
export function estimateCollective(platform: Platform, spec: CollectiveSpec): number {
  const n = spec.group.length;
  if (n <= 1) return 0;
  const step = stepRoute(platform, spec.group, stepPairs(spec.kind, spec.algorithm, n));
  return collectiveTime(spec.kind, spec.algorithm, n, spec.bytes, step, spec.chunks ?? n);
}
