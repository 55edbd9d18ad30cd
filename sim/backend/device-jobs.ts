import type { TransferListener, TransferRecord } from "../cluster/network/network.ts";
import type { TimerTarget } from "../engine/index.ts";
import type { WorkloadContext } from "../workload.ts";

/**
 * A piece of work that needs some devices up: a compute needs its device, a transfer both ends.
 * `begin` starts it (and charges the ledger), `abort` undoes what a failure interrupts. `finished`
 * is called by the job itself when it completes.
 */
export interface DeviceJob {
  readonly devices: readonly number[];
  begin(): void;
  abort(): void;
}

/**
 * Runs jobs around failures, so that schedules need not know about them: a job whose device is down
 * waits until it is back; a job interrupted by a failure is lost (counted) and starts over, from the
 * beginning, once every device it needs is up again. A device that never comes back leaves its jobs
 * waiting forever — as a real job would hang. Without failures in the scenario, jobs just begin.
 */
export class DeviceJobs {
  private readonly ctx: WorkloadContext;
  private readonly active = new Set<DeviceJob>();
  private readonly waiting: DeviceJob[] = [];

  constructor(ctx: WorkloadContext) {
    this.ctx = ctx;
  }

  run(job: DeviceJob): void {
    if (!this.ctx.hasFailures) {
      job.begin();
      return;
    }
    if (job.devices.some((d) => this.ctx.isDown(d))) {
      this.waiting.push(job);
      return;
    }
    this.active.add(job);
    job.begin();
  }

  finished(job: DeviceJob): void {
    this.active.delete(job);
  }

  onDown(worker: number): void {
    for (const job of this.active) {
      if (!job.devices.includes(worker)) continue;
      job.abort();
      this.active.delete(job);
      this.waiting.push(job);
      this.ctx.counter("lostJobs")[worker]!++;
    }
  }

  onUp(_worker: number): void {
    const ready = this.waiting.filter((job) => !job.devices.some((d) => this.ctx.isDown(d)));
    if (ready.length === 0) return;
    const stillWaiting = this.waiting.filter((job) => !ready.includes(job));
    this.waiting.length = 0;
    this.waiting.push(...stillWaiting);
    // In the order they were first asked for, so that replays are deterministic.
    for (const job of ready) {
      this.active.add(job);
      job.begin();
    }
  }
}

/** A compute of `duration()` seconds (drawn anew at each start) on one device. */
export class ComputeJob implements DeviceJob, TimerTarget {
  readonly devices: readonly number[];
  private readonly ctx: WorkloadContext;
  private readonly jobs: DeviceJobs;
  private readonly duration: () => number;
  private readonly done: () => void;
  private timer = -1;

  constructor(
    ctx: WorkloadContext,
    jobs: DeviceJobs,
    worker: number,
    duration: () => number,
    done: () => void,
  ) {
    this.ctx = ctx;
    this.jobs = jobs;
    this.devices = [worker];
    this.duration = duration;
    this.done = done;
  }

  begin(): void {
    const worker = this.devices[0]!;
    const now = this.ctx.sim.now;
    this.ctx.ledger.computeStart(worker, now);
    this.timer = this.ctx.timers.at(this.ctx.devices[worker]!.finishTime(now, this.duration()), this);
  }

  abort(): void {
    this.ctx.timers.cancel(this.timer);
    this.ctx.ledger.computeEnd(this.devices[0]!, this.ctx.sim.now);
  }

  onTimer(): void {
    this.ctx.ledger.computeEnd(this.devices[0]!, this.ctx.sim.now);
    this.jobs.finished(this);
    this.done();
  }
}

/** `bytes` from `src` to `dst` over the network; both ends are charged communication time. */
export class TransferJob implements DeviceJob, TransferListener {
  readonly devices: readonly number[];
  private readonly ctx: WorkloadContext;
  private readonly jobs: DeviceJobs;
  private readonly bytes: number;
  private readonly done: () => void;
  private transfer = -1;

  constructor(
    ctx: WorkloadContext,
    jobs: DeviceJobs,
    src: number,
    dst: number,
    bytes: number,
    done: () => void,
  ) {
    this.ctx = ctx;
    this.jobs = jobs;
    this.devices = [src, dst];
    this.bytes = bytes;
    this.done = done;
  }

  begin(): void {
    const [src, dst] = this.devices as [number, number];
    const now = this.ctx.sim.now;
    this.ctx.ledger.commStart(src, now);
    this.ctx.ledger.commStart(dst, now);
    this.transfer = this.ctx.network.transfer(src, dst, this.bytes, this);
  }

  abort(): void {
    const [src, dst] = this.devices as [number, number];
    this.ctx.network.cancel(this.transfer);
    this.ctx.ledger.commEnd(src, this.ctx.sim.now);
    this.ctx.ledger.commEnd(dst, this.ctx.sim.now);
  }

  onTransferDone(_transfer: TransferRecord): void {
    const [src, dst] = this.devices as [number, number];
    this.ctx.ledger.commEnd(src, this.ctx.sim.now);
    this.ctx.ledger.commEnd(dst, this.ctx.sim.now);
    this.jobs.finished(this);
    this.done();
  }
}
