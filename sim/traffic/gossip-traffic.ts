import type { TransferRecord } from "../cluster/network/network.ts";
import { uniformNeighbor } from "../cluster/topology/graph.ts";
import type { Process, ProcessBody, RandomStream } from "../engine/index.ts";
import { Interrupt } from "../engine/index.ts";
import type { Workload, WorkloadContext } from "../workload.ts";
import { type DeliveryListener, TrackedTransfers } from "./tracked-transfers.ts";

export interface GossipTrafficParams {
  /** Mean seconds of one gradient on each device, before that device's speed multiplier. */
  readonly nominalComputeTime: readonly number[];
  /** Expected exchanges per gradient, per worker: the gossip clock ticks at rate / mean compute time. */
  readonly rate: number;
  /** Bytes sent in each direction of an exchange. */
  readonly bytes: number;
}

/**
 * The timing skeleton of asynchronous gossip training, with no numbers moved: every worker computes
 * gradients back to back and, on its own Poisson gossip clock, exchanges `bytes` in both directions
 * with a uniformly random neighbour of the gossip graph. Compute and communication overlap, as in
 * AD-PSGD and A²CiD². A worker that is down neither computes nor gossips; exchanges in flight with it
 * are lost; an exchange whose chosen partner is down is skipped.
 */
export class GossipTraffic implements Workload, DeliveryListener {
  private readonly params: GossipTrafficParams;
  private ctx!: WorkloadContext;
  private gradients!: Float64Array;
  private exchanges!: Float64Array;
  private skipped!: Float64Array;
  private lostComputes!: Float64Array;
  private lostExchanges!: Float64Array;
  private computeRng: RandomStream[] = [];
  private clockRng: RandomStream[] = [];
  private partnerRng: RandomStream[] = [];
  private running: (Process<void>[] | undefined)[] = [];
  private transfers!: TrackedTransfers;

  constructor(params: GossipTrafficParams) {
    this.params = params;
  }

  start(ctx: WorkloadContext): void {
    this.ctx = ctx;
    this.transfers = new TrackedTransfers(ctx, this, ctx.hasFailures);
    this.gradients = ctx.counter("gradients");
    this.exchanges = ctx.counter("exchanges");
    this.skipped = ctx.counter("skippedExchanges");
    this.lostComputes = ctx.counter("lostComputes");
    this.lostExchanges = ctx.counter("lostMessages");
    for (let w = 0; w < ctx.devices.length; w++) {
      this.computeRng.push(ctx.streams.stream("compute", w));
      this.clockRng.push(ctx.streams.stream("gossip-clock", w));
      this.partnerRng.push(ctx.streams.stream("gossip-partner", w));
      ctx.memory.allocate(w, "parameters", this.params.bytes);
      ctx.memory.allocate(w, "gradients", this.params.bytes);
      // One receive buffer per exchange partner in flight; we size for one.
      ctx.memory.allocate(w, "buffers", this.params.bytes);
      this.launch(w);
    }
  }

  onDown(worker: number): void {
    for (const p of this.running[worker] ?? []) p.interrupt("device failure");
    this.running[worker] = undefined;
    this.lostExchanges[worker]! += this.transfers.dropInvolving(worker);
  }

  onUp(worker: number): void {
    this.launch(worker);
  }

  delivered(t: TransferRecord): void {
    this.exchanges[t.dst]!++;
  }

  private launch(w: number): void {
    const { processes } = this.ctx;
    this.running[w] = [
      processes.spawn(`compute-${w}`, this.compute(w)),
      processes.spawn(`gossip-${w}`, this.gossip(w)),
    ];
  }

  private *compute(w: number): ProcessBody {
    const { sim, ledger } = this.ctx;
    const device = this.ctx.devices[w]!;
    const rng = this.computeRng[w]!;
    const distribution = device.computeDistribution(this.params.nominalComputeTime[w]!);
    for (;;) {
      const duration = device.sampleDuration(distribution, rng);
      const end = device.finishTime(sim.now, duration);
      ledger.computeStart(w, sim.now);
      try {
        yield end - sim.now;
      } catch (error) {
        ledger.computeEnd(w, sim.now);
        if (error instanceof Interrupt) this.lostComputes[w]!++;
        throw error;
      }
      ledger.computeEnd(w, sim.now);
      this.gradients[w]!++;
    }
  }

  private *gossip(w: number): ProcessBody {
    const { sim, gossip } = this.ctx;
    const device = this.ctx.devices[w]!;
    // The clock ticks `rate` times per mean gradient of this device.
    const clockRate = (this.params.rate * device.spec.speed) / this.params.nominalComputeTime[w]!;
    const clock = this.clockRng[w]!;
    const partners = this.partnerRng[w]!;
    const bytes = this.params.bytes;
    for (;;) {
      yield clock.exponential(clockRate);
      const peer = uniformNeighbor(gossip.at(sim.now), w, partners);
      if (peer < 0) continue;
      if (this.ctx.isDown(peer)) {
        this.skipped[w]!++;
        continue;
      }
      this.transfers.send(w, peer, bytes);
      this.transfers.send(peer, w, bytes);
    }
  }
}
