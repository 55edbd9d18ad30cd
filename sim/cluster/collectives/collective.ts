/**
 * What a collective is, as seen by its caller: which operation, carried out how, over which ordered
 * group of devices, on a buffer of how many bytes; and the record returned when it completes.
 */

export type CollectiveKind = "all-reduce" | "reduce-scatter" | "all-gather" | "broadcast";

/**
 * How the collective is carried out.
 * - "ring": all-reduce / reduce-scatter / all-gather around the ring in group order; broadcast as a
 *   pipelined chain in group order (the buffer cut into `chunks`).
 * - "tree": all-reduce as binary-tree reduce then broadcast; broadcast as a binomial tree.
 * - "halving-doubling": recursive halving (reduce-scatter) and/or recursive doubling (all-gather);
 *   the group size must be a power of two.
 * - "closed-form": no messages; completes after the ring algorithm's analytic cost on the platform.
 */
export type CollectiveAlgorithm = "ring" | "tree" | "halving-doubling" | "closed-form";

export interface CollectiveSpec {
  readonly kind: CollectiveKind;
  readonly algorithm: CollectiveAlgorithm;
  /** Distinct device ids; ring order is group order; a broadcast's root is the first member. */
  readonly group: ReadonlyArray<number>;
  /**
   * Buffer size S in bytes, as in NCCL: the all-reduce/broadcast buffer, the all-gather output, the
   * reduce-scatter input. Each rank then holds S / n bytes of a reduce-scatter's result.
   */
  readonly bytes: number;
  /** Pipelined-chain broadcast only: how many chunks the buffer is cut into (default: group size). */
  readonly chunks?: number;
}

export interface CollectiveRecord {
  readonly id: number;
  readonly kind: CollectiveKind;
  readonly algorithm: CollectiveAlgorithm;
  readonly bytes: number;
  readonly groupSize: number;
  /** Simulated times the collective was started and completed on every member. */
  readonly start: number;
  readonly end: number;
  /** Point-to-point transfers it made, and the bytes they carried in all (0 for closed-form). */
  readonly transfers: number;
  readonly bytesMoved: number;
}

export interface CollectiveListener {
  /** Called from within the event loop when the last member has its result. */
  onCollectiveDone(record: CollectiveRecord): void;
}
