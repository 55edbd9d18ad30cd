import type { Kernels, Vec } from "../../kernels/kernels.ts";
import type { Meeting } from "./rendezvous.ts";

/**
 * The numbers of a completed collective, written into each member's vector (CPU vectors only), then
 * `meeting.done` succeeded (with the sum, for a scalar all-reduce: host numbers, in every numeric mode).
 * Shared by every backend: the simulator and the runtime time a collective differently but reduce alike.
 */
export function completeCollective(
  meeting: Meeting,
  kernels: Kernels,
  shardOf: (rank: number, size: number, length: number) => readonly [number, number],
): void {
  if (meeting.op === "all-reduce-scalar") {
    let sum = 0;
    for (const value of meeting.vectors) sum += value as number;
    meeting.done.succeed(sum);
    return;
  }
  applyCollective(meeting, kernels, shardOf);
  meeting.done.succeed(undefined);
}

function applyCollective(
  meeting: Meeting,
  kernels: Kernels,
  shardOf: (rank: number, size: number, length: number) => readonly [number, number],
): void {
  if (!kernels.numeric) return;
  const arrays = meeting.vectors.map((v) => (v as Vec).data!);
  const size = arrays.length;
  const length = arrays[0]!.length;
  if (meeting.op === "all-gather") {
    for (let owner = 0; owner < size; owner++) {
      const [lo, hi] = shardOf(owner, size, length);
      const source = arrays[owner]!.subarray(lo, hi);
      for (let r = 0; r < size; r++) if (r !== owner) arrays[r]!.set(source, lo);
    }
    return;
  }
  const [from, to] = meeting.range ?? [0, length];
  const sum = new Float64Array(length);
  for (const a of arrays) for (let i = from; i < to; i++) sum[i]! += a[i]!;
  if (meeting.op === "all-reduce-mean") for (let i = from; i < to; i++) sum[i]! /= size;
  if (meeting.op === "reduce-scatter") {
    for (let r = 0; r < size; r++) {
      const [lo, hi] = shardOf(r, size, length);
      for (let i = lo; i < hi; i++) arrays[r]![i] = sum[i]!;
    }
    return;
  }
  for (const a of arrays) for (let i = from; i < to; i++) a[i] = sum[i]!;
}

/** The collective the network runs for a meeting, and its bytes on the wire. */
export function collectiveOnWire(
  meeting: Meeting,
  bytesPerValue: number,
): { kind: "reduce-scatter" | "all-gather" | "all-reduce"; bytes: number } {
  const kind =
    meeting.op === "reduce-scatter"
      ? "reduce-scatter"
      : meeting.op === "all-gather"
        ? "all-gather"
        : "all-reduce";
  // The vectors' size on the wire (the whole model for model-sized vectors), or the all-reduced slice.
  const range = meeting.range;
  const first = meeting.vectors[0]!;
  // A host scalar travels as one value of the model's type (NCCL reduces a one-element tensor).
  const whole = typeof first === "number" ? 1 : first.length;
  const values = range === undefined ? whole : range[1] - range[0];
  return { kind, bytes: values * bytesPerValue };
}
