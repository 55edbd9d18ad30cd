/**
 * Workers as bars: one bar each up to `max`, else consecutive workers pooled into `max` or fewer bars
 * (labelled "0–15"), each showing its members' mean — a bar per worker of 10⁵ workers would be
 * unreadable, and slow to draw.
 */
export interface WorkerGroup {
  readonly label: string;
  /** Indices into the workers array. */
  readonly members: ReadonlyArray<number>;
}

export const MAX_WORKER_BARS = 64;

export function workerGroups(ids: ReadonlyArray<number>, max = MAX_WORKER_BARS): WorkerGroup[] {
  if (ids.length <= max) return ids.map((id, i) => ({ label: String(id), members: [i] }));
  const size = Math.ceil(ids.length / max);
  const groups: WorkerGroup[] = [];
  for (let start = 0; start < ids.length; start += size) {
    const members = Array.from({ length: Math.min(size, ids.length - start) }, (_, k) => start + k);
    groups.push({ label: `${ids[start]}–${ids[members.at(-1)!]}`, members });
  }
  return groups;
}

/** The mean of `pick` over a group's members. */
export function groupMean(group: WorkerGroup, pick: (index: number) => number): number {
  let sum = 0;
  for (const i of group.members) sum += pick(i);
  return sum / group.members.length;
}

/** Words for a caption: how the bars map to workers. */
export function groupingNote(groups: ReadonlyArray<WorkerGroup>, workers: number): string {
  return groups.length === workers
    ? "one bar per worker"
    : `${workers} workers pooled into ${groups.length} bars of ${groups[0]!.members.length} consecutive workers (their mean)`;
}
