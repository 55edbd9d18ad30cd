import type { Vec } from "../../../kernels/kernels.ts";
import { modelIsX, type WorkerModel } from "../definition.ts";
import { type ScheduleProcess, Signal, type Worker } from "../worker.ts";
import { Replica, type SynchronousParams } from "./common.ts";

/**
 * The machinery DPU and ACCO share, after the authors' `trainer_decoupled.py` [reference §4.2]: per
 * worker, a compute stream and a communication stream that run at the same time.
 *
 * Buffers: x (the model the compute stream differentiates, bf16), g (its gradient accumulator),
 * `comm` (the communication buffer: gradients going out, parameters coming back), the fp32 master
 * copy of the worker's shard and its optimizer state, and the count of micro-batches in g.
 *
 * Communication round k (communication stream):
 *   [tentative: snapshot the master shard and the optimizer state]
 *   all-reduce of this round's micro-batch count (a scalar, SUM), issued with the reduce-scatter of
 *   `comm` (SUM), both awaited; shard ← shard of comm / total count; optimizer step on the shard;
 *   comm[shard] ← master shard; all-gather of comm (every worker gets every updated shard);
 *   [tentative: restore the master shard and the optimizer state]
 *   then "finished", and wait to be released.
 *
 * Compute stream: micro-batches in groups of `accumulation`, into g, counting them. After each group,
 * if the round has finished: x ← comm (the round's parameters), comm ← g, the round's count ← the
 * local count; unless the policy keeps them, g and the count restart from zero; k += 1; release the
 * communication stream. Otherwise, another group: a worker never waits for the communication, it
 * accumulates more micro-batches instead (faster workers contribute more; the division by the
 * all-reduced total weights the average by count). The two buffer copies are device work on the
 * compute stream (`memoryWork` of 4·Ψ·B bytes: two copies, each read and written).
 *
 * Start: `warmupSteps` synchronous rounds first (compute a group, hand it over, run the round, wait
 * for it: ZeRO-1 with the counts), then one group (after a warm-up) or one micro-batch (without)
 * seeds `comm`, and is kept in g with its count, as the code's start-up does; round 0 then starts.
 *
 * Device time: a round's optimizer step is `memoryWork` on the communication stream; it overlaps the
 * compute stream's gradients (two CUDA streams: the simulator does not make them contend).
 */
export interface RoundPolicy {
  /** Round k's optimizer step is tentative: the master and the optimizer state are restored after it. */
  tentative(k: number): boolean;
  /** After handing its gradients over for the round after k, the compute stream keeps them (and their count). */
  keepsGradients(k: number): boolean;
  /** Micro-batches per worker in an optimizer step when nobody waits (for `extraMicroBatches`). */
  nominalMicroBatches(accumulation: number): number;
}

/** Starts both streams of a worker; the model it reports is the x it computes on. */
export function startTwoStreams(
  worker: Worker,
  params: SynchronousParams,
  policy: RoundPolicy,
  name: string,
): WorkerModel {
  const streams = new TwoStreamWorker(worker, params, policy, name);
  worker.spawn(`${name}-compute-${worker.rank}`, streams.computeStream());
  return modelIsX(worker);
}

class TwoStreamWorker {
  private readonly worker: Worker;
  private readonly r: Replica;
  private readonly params: SynchronousParams;
  private readonly policy: RoundPolicy;
  private readonly name: string;
  private readonly comm: Vec;
  /** The fp32 master copy of the parameters (only the shard is meaningful, see `Replica`). */
  private readonly master: Vec;
  /** Snapshots of the master and the optimizer state for tentative rounds (same order as `state`). */
  private readonly saved: readonly Vec[];
  /** Bytes of the two buffer copies of a hand-over (x ← comm, comm ← g), each read and written. */
  private readonly handOverBytes: number;
  /** Micro-batches in g. */
  private countLocal = 0;
  /** Micro-batches of this worker in the buffer the current round reduces. */
  private countThisRound = 0;
  /** Index of the current round (the code's count_after_init). */
  private k = 0;
  /** The current round has finished (the code's com_finished). */
  private finished = false;
  /** Succeeded by the compute stream to let the communication stream start the next round. */
  private release = new Signal<void>();

  constructor(worker: Worker, params: SynchronousParams, policy: RoundPolicy, name: string) {
    this.worker = worker;
    this.params = params;
    this.policy = policy;
    this.name = name;
    const nominal = policy.nominalMicroBatches(params.accumulation);
    this.r = new Replica(worker, params.optimizer, "sharded", true, nominal);
    const { kernels, problem } = worker;
    this.comm = worker.vector("comm");
    // Uncharged (Table 1 does not count them): the master's bytes are in K; the tentative round's
    // snapshot of the master and the optimizer state is a transient K·Ψ/N the table leaves out.
    this.master = kernels.alloc(problem.dimension);
    kernels.copy(this.master, this.r.x);
    this.saved = [this.master, ...this.r.state].map(() => kernels.alloc(problem.dimension));
    this.handOverBytes = 4 * problem.dimension * problem.bytesPerValue;
  }

  *computeStream(): ScheduleProcess {
    const { worker, r, params } = this;
    const { accumulation } = params;
    for (let s = 0; s < params.warmupSteps; s++) {
      yield* this.group(accumulation);
      yield* this.handOver(false);
      yield* this.round(false);
      worker.kernels.copy(r.x, this.comm);
    }
    // The seed: a group after a warm-up, one micro-batch without (the code's start-up), kept in g.
    yield* this.group(params.warmupSteps > 0 ? accumulation : 1);
    yield* this.handOver(true);
    worker.spawn(`${this.name}-comm-${worker.rank}`, this.communicationStream());
    for (;;) {
      yield* this.group(accumulation);
      if (!this.finished) continue;
      this.finished = false;
      worker.kernels.copy(r.x, this.comm);
      yield* this.handOver(this.policy.keepsGradients(this.k));
      this.k++;
      const release = this.release;
      this.release = new Signal<void>();
      release.succeed();
    }
  }

  private *communicationStream(): ScheduleProcess {
    for (;;) {
      yield* this.round(this.policy.tentative(this.k));
      this.finished = true;
      yield this.release;
    }
  }

  /** `n` micro-batches at x into g (written directly when g holds none). */
  private *group(n: number): ScheduleProcess {
    for (let m = 0; m < n; m++) {
      yield* this.r.microBatch(this.r.x, this.r.g, this.countLocal === 0);
      this.countLocal++;
    }
  }

  /** comm ← g and the round's count ← the local one; g restarts from zero unless kept. */
  private *handOver(keep: boolean): ScheduleProcess {
    this.worker.kernels.copy(this.comm, this.r.g);
    this.countThisRound = this.countLocal;
    if (!keep) this.countLocal = 0;
    yield this.worker.memoryWork(this.handOverBytes);
  }

  /** One communication round on `comm` (see the module comment). */
  private *round(tentative: boolean): ScheduleProcess {
    const { worker, r, comm, master, saved } = this;
    const { kernels } = worker;
    const state = [master, ...r.state];
    if (tentative) {
      for (let i = 0; i < state.length; i++) kernels.copy(saved[i]!, state[i]!);
      yield worker.memoryWork(2 * r.stateBytes);
    }
    // The count is a host number (as the code's int), all-reduced as one value of the model's type.
    const counted = worker.allReduceScalar(r.group, this.countThisRound);
    const scattered = worker.reduceScatter(r.group, comm);
    const total = yield* counted;
    yield scattered;
    kernels.scale(comm, 1 / total);
    yield* r.optimizerStep(master, comm, tentative);
    kernels.copy(comm, master);
    yield worker.allGather(r.group, comm);
    if (tentative) {
      for (let i = 0; i < state.length; i++) kernels.copy(state[i]!, saved[i]!);
      yield worker.memoryWork(2 * r.stateBytes);
    } else r.reportStep(this.countThisRound);
    worker.count("rounds");
  }
}
