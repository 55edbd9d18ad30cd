/**
 * The "closed-form" algorithm: no messages at all; the collective completes after its analytic cost on
 * an idle network (see `closed-form.ts`). Orders of magnitude cheaper to simulate, blind to contention,
 * and it leaves the network statistics untouched.
 */
import { CollectiveRun } from "./collective-run.ts";

export class ClosedFormRun extends CollectiveRun {
  begin(): void {}

  protected delivered(_from: number): void {}
}
