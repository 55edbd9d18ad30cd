import type { TransferListener, TransferRecord } from "../cluster/network/network.ts";
import type { TimerTarget } from "../engine/index.ts";
import { Waitable } from "../engine/index.ts";

/**
 * A waitable the simulator completes later with a value fixed now: a timer (compute done) or a network
 * callback (transfer done) calls `finish`, or `onTimer`/`onTransferDone` directly, and `beforeWake` runs
 * first (ledger bookkeeping, copying a received vector) so that the waiter resumes with a consistent world.
 */
export class Completion<T> extends Waitable<T> implements TimerTarget, TransferListener {
  private readonly result: T;
  private readonly beforeWake: ((value: T) => void) | undefined;

  constructor(result: T, beforeWake?: (value: T) => void) {
    super();
    this.result = result;
    this.beforeWake = beforeWake;
  }

  finish(): void {
    this.beforeWake?.(this.result);
    this.resolve(this.result);
  }

  onTimer(): void {
    this.finish();
  }

  onTransferDone(_transfer: TransferRecord): void {
    this.finish();
  }
}
