import type { Vec } from "../../kernels/kernels.ts";
import type { Waitable } from "../engine/index.ts";
import { Signal } from "../engine/index.ts";

export type CollectiveOp =
  | "all-reduce-sum"
  | "all-reduce-mean"
  | "all-reduce-scalar"
  | "reduce-scatter"
  | "all-gather";

/**
 * One collective call waiting for its group: who has arrived, with which vectors (or host scalars, for
 * `all-reduce-scalar`). `done` succeeds with the scalar sum for a scalar all-reduce, else undefined.
 */
export class Meeting {
  readonly op: CollectiveOp;
  readonly group: readonly number[];
  readonly vectors: (Vec | number | undefined)[];
  /** The slice [lo, hi) an all-reduce is restricted to; undefined: the whole vectors. */
  readonly range: readonly [number, number] | undefined;
  readonly done = new Signal<number | undefined>();
  arrived = 0;

  constructor(op: CollectiveOp, group: readonly number[], range?: readonly [number, number]) {
    this.op = op;
    this.group = group;
    this.range = range;
    this.vectors = group.map(() => undefined);
  }
}

/**
 * Matches collective calls into meetings: a member's k-th call on a group joins the k-th meeting of
 * that group, so members may call at different times and the group may be used for several kinds of
 * collective, as long as every member calls them in the same order (as NCCL requires).
 */
export class Rendezvous {
  private readonly meetings = new Map<string, Meeting[]>();
  /** How many collectives each member has called on each group ("worker@group"). */
  private readonly calls = new Map<string, number>();
  /** How many meetings of each group have completed. */
  private readonly completed = new Map<string, number>();
  private readonly onComplete: (meeting: Meeting) => void;

  /** `onComplete` runs when the last member arrives; it must eventually succeed `meeting.done`. */
  constructor(onComplete: (meeting: Meeting) => void) {
    this.onComplete = onComplete;
  }

  join(
    worker: number,
    group: readonly number[],
    op: CollectiveOp,
    x: Vec | number,
    range?: readonly [number, number],
  ): Waitable<number | undefined> {
    const rank = group.indexOf(worker);
    if (rank < 0)
      throw new RangeError(`worker ${worker} called a collective on a group it is not in: [${group}]`);
    const key = group.join(",");
    const callKey = `${worker}@${key}`;
    const index = this.calls.get(callKey) ?? 0;
    this.calls.set(callKey, index + 1);
    let pending = this.meetings.get(key);
    if (pending === undefined) {
      pending = [];
      this.meetings.set(key, pending);
    }
    // Meetings are created in call order; the k-th call of any member finds the k-th meeting still open.
    const base = this.completed.get(key) ?? 0;
    const slot = index - base;
    // The first member to call creates the meeting; everyone must agree with it on op and range.
    while (pending.length <= slot) pending.push(new Meeting(op, group, range));
    const meeting = pending[slot]!;
    if (meeting.op !== op) {
      throw new RangeError(
        `collective mismatch on group [${group}]: ${op} called where others called ${meeting.op}`,
      );
    }
    if (meeting.range?.[0] !== range?.[0] || meeting.range?.[1] !== range?.[1]) {
      throw new RangeError(
        `collective mismatch on group [${group}]: range [${range ?? "all"}] where others gave [${meeting.range ?? "all"}]`,
      );
    }
    meeting.vectors[rank] = x;
    meeting.arrived++;
    if (meeting.arrived === group.length) {
      // Only the oldest meeting can complete first (each member's calls are in order), so shifting is safe.
      pending.shift();
      this.completed.set(key, base + 1);
      this.onComplete(meeting);
    }
    return meeting.done;
  }
}
