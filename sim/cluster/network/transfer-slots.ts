/**
 * Integer slots for in-flight transfers, recycled through a free list so the per-transfer typed arrays
 * stay as small as the peak number of concurrent transfers.
 *
 * A slot is reused, but a transfer id must stay unique (a late `cancel(id)` must not hit the slot's next
 * occupant), so the id is `generation × 2^22 + slot`: the low part finds the slot, the generation
 * (bumped on every release) tells a live id from a stale one. 2^22 slots is 4 M concurrent transfers;
 * ids stay exact doubles for 2^31 reuses of a slot.
 */
import { ModelLimitError } from "../../errors.ts";
import { ensureFloat64, ensureInt32 } from "./typed-growth.ts";

export const SLOT_SPACE = 2 ** 22;

export class TransferSlots {
  /** Number of slots ever handed out; per-slot arrays must cover [0, highWater). */
  highWater = 0;
  private generation = new Float64Array(16);
  private free = new Int32Array(16);
  private freeCount = 0;

  acquire(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount]!;
    const slot = this.highWater++;
    if (slot >= SLOT_SPACE) {
      // Messages sent faster than the network carries them, for long enough: the scenario's to change.
      throw new ModelLimitError(
        "cluster.network",
        `more than ${SLOT_SPACE} transfers in flight`,
        "a network that carries the messages about as fast as the schedule sends them (fewer or smaller messages, longer computes, more bandwidth)",
      );
    }
    this.generation = ensureFloat64(this.generation, this.highWater);
    return slot;
  }

  release(slot: number): void {
    this.generation[slot]!++;
    this.free = ensureInt32(this.free, this.freeCount + 1);
    this.free[this.freeCount++] = slot;
  }

  idOf(slot: number): number {
    return this.generation[slot]! * SLOT_SPACE + slot;
  }

  /** The slot of a live id, or -1 when the id is malformed or its transfer is over. */
  slotOf(id: number): number {
    if (!(Number.isSafeInteger(id) && id >= 0)) return -1;
    const slot = id % SLOT_SPACE;
    if (slot >= this.highWater || this.generation[slot] !== (id - slot) / SLOT_SPACE) return -1;
    return slot;
  }
}
