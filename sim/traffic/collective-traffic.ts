import {
  type CollectiveAlgorithm,
  type CollectiveKind,
  type CollectiveListener,
  type CollectiveRecord,
  startCollective,
} from "../cluster/collectives/index.ts";
import type { ProcessBody } from "../engine/index.ts";
import { Signal } from "../engine/index.ts";
import type { Workload, WorkloadContext } from "../workload.ts";

/** `count` collectives of `bytes` each over `group`, back to back with `gap` seconds between them. */
export interface AllreduceSpec {
  readonly count: number;
  readonly bytes: number;
  readonly collective: CollectiveKind;
  readonly algorithm: CollectiveAlgorithm;
  /** Distinct worker ids; every worker when the file gives none. The first member is a broadcast's root. */
  readonly group: ReadonlyArray<number>;
  readonly gap: number;
}

/**
 * `count` collectives of `bytes` over a group, one after the other with `gap` seconds between them:
 * the communication skeleton of synchronous data-parallel training. Every member is charged
 * communication time for the whole of each collective (it is blocked in it), idle time in the gaps.
 */
export class CollectiveTraffic implements Workload, CollectiveListener {
  private readonly spec: AllreduceSpec;
  private ctx!: WorkloadContext;
  private done: Signal<CollectiveRecord> | undefined;

  constructor(spec: AllreduceSpec) {
    this.spec = spec;
  }

  start(ctx: WorkloadContext): void {
    this.ctx = ctx;
    const group = this.group();
    for (const w of group) ctx.memory.allocate(w, "buffers", this.spec.bytes);
    ctx.processes.spawn("collectives", this.run(group));
  }

  onCollectiveDone(record: CollectiveRecord): void {
    this.done!.succeed(record);
  }

  private group(): readonly number[] {
    return this.spec.group.length > 0 ? this.spec.group : this.ctx.devices.map((d) => d.id);
  }

  private *run(group: readonly number[]): ProcessBody {
    const { sim, ledger } = this.ctx;
    const count = this.ctx.counter("collectives");
    const kind = this.spec.collective;
    const { algorithm, bytes } = this.spec;
    for (let k = 0; k < this.spec.count; k++) {
      if (k > 0 && this.spec.gap > 0) yield this.spec.gap;
      const start = sim.now;
      for (const w of group) ledger.commStart(w, start);
      this.done = new Signal<CollectiveRecord>();
      startCollective(sim, this.ctx.network, { kind, algorithm, group, bytes }, this);
      yield this.done;
      for (const w of group) {
        ledger.commEnd(w, sim.now);
        count[w]!++;
      }
      this.ctx.recordCollective({ kind, algorithm, bytes, groupSize: group.length, start, end: sim.now });
    }
  }
}
