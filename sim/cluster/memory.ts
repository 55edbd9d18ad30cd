/** What device memory holds, in the categories of ACCO's Table 1. */
export const memoryCategories = ["parameters", "gradients", "optimizerState", "buffers"] as const;
export type MemoryCategory = (typeof memoryCategories)[number];

export type MemoryByCategory = Record<MemoryCategory, number>;

export interface MemoryVerdict {
  readonly worker: number;
  readonly peak: number;
  readonly capacity: number;
  readonly outOfMemory: boolean;
  readonly peakByCategory: MemoryByCategory;
}

/**
 * Bytes held per device by category, with the peak total seen, and an out-of-memory verdict against
 * each device's capacity. Allocation never fails during the run: we report the verdict instead, so a
 * user sees by how much a configuration overflows rather than a crash.
 */
export class MemoryLedger {
  private readonly current: Float64Array[];
  private readonly peakTotals: Float64Array;
  private readonly peakBreakdown: Float64Array[];
  private readonly capacities: readonly number[];

  constructor(capacities: readonly number[]) {
    this.capacities = capacities;
    this.current = capacities.map(() => new Float64Array(memoryCategories.length));
    this.peakTotals = new Float64Array(capacities.length);
    this.peakBreakdown = capacities.map(() => new Float64Array(memoryCategories.length));
  }

  allocate(worker: number, category: MemoryCategory, bytes: number): void {
    if (!(bytes >= 0)) throw new RangeError(`allocation of ${bytes} bytes`);
    const row = this.current[worker]!;
    row[memoryCategories.indexOf(category)]! += bytes;
    let total = 0;
    for (const b of row) total += b;
    if (total > this.peakTotals[worker]!) {
      this.peakTotals[worker] = total;
      this.peakBreakdown[worker]!.set(row);
    }
  }

  free(worker: number, category: MemoryCategory, bytes: number): void {
    // A negative free would grow the row without touching the peak; NaN would poison it.
    if (!(bytes >= 0)) throw new RangeError(`free of ${bytes} bytes`);
    const row = this.current[worker]!;
    const i = memoryCategories.indexOf(category);
    if (bytes > row[i]! * (1 + 1e-12))
      throw new RangeError(`freeing ${bytes} bytes of ${category} but only ${row[i]} held`);
    row[i] = Math.max(0, row[i]! - bytes);
  }

  verdict(worker: number): MemoryVerdict {
    const breakdown = this.peakBreakdown[worker]!;
    const peakByCategory = Object.fromEntries(
      memoryCategories.map((c, i) => [c, breakdown[i]!]),
    ) as MemoryByCategory;
    const peak = this.peakTotals[worker]!;
    const capacity = this.capacities[worker]!;
    return { worker, peak, capacity, outOfMemory: peak > capacity, peakByCategory };
  }
}
