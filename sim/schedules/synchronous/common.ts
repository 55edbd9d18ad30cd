import type { Vec } from "../../../kernels/kernels.ts";
import { learningRateOf } from "../../optim/lr-schedule.ts";
import { type Optimizer, optimizerStateNames, step } from "../../optim/optimizer.ts";
import type { ResolveContext } from "../../registry.ts";
import { optimizerOf } from "../../scenario/params/training.ts";
import type { StateVector } from "../definition.ts";
import type { Group, ScheduleProcess, Worker } from "../worker.ts";

/**
 * What the synchronous family shares: parameters, memory accounting (ACCO's Table 1), micro-batch
 * accumulation, the sharded optimizer step, and the per-worker report.
 *
 * The synchronous data-parallel family of ACCO's paper [reference §4]: DDP (allreduce-sgd), ZeRO-1,
 * DPU and ACCO. All four average over the group of all workers, with ring collectives, and report per
 * worker `microBatches`, `steps`, `microBatchesPerStep` and `extraMicroBatches` (DPU and ACCO also
 * `rounds`); memory by category follows ACCO's Table 1 (see common.ts, `declaredState`).
 */

/** The decoded `schedule` section of allreduce-sgd, zero1, dpu and acco. */
export interface SynchronousParams {
  /** PyTorch semantics (sim/optim/optimizer.ts); its `schedule` shapes lr over optimizer steps. */
  readonly optimizer: Optimizer;
  /** Micro-batches per worker per optimizer step (dpu, acco: per communication round, at least). */
  readonly accumulation: number;
  /** allreduce-sgd only: gradient buckets all-reduced while the last backward runs (1: after it). */
  readonly buckets: number;
  /** dpu and acco: synchronous (ZeRO-1-like) steps before the method starts. */
  readonly warmupSteps: number;
}

/** The family's parameters from its decoded fields (`buckets` and `warmupSteps` where the kind has them). */
export function synchronousParams(
  input: {
    readonly optimizer: Parameters<typeof optimizerOf>[0];
    readonly accumulation: number;
    readonly buckets?: number;
    readonly warmupSteps?: number;
  },
  { path, problems }: ResolveContext,
): SynchronousParams {
  return {
    optimizer: optimizerOf(input.optimizer, [...path, "optimizer"], problems),
    accumulation: input.accumulation,
    buckets: input.buckets ?? 1,
    warmupSteps: input.warmupSteps ?? 0,
  };
}

/**
 * K, bytes of optimizer state per parameter: 4 per fp32 state vector of the optimizer (SGD: its
 * momentum buffer; AdamW: m and v), plus a 4-byte fp32 master copy of the parameters when the model's
 * values are narrower than fp32 (bf16 presets: mixed precision) or when the method keeps the master
 * apart from the model it computes on (`separateMaster`: DPU and ACCO, whose compute stream reads x
 * while the communication stream updates the master). AdamW in mixed precision: K = 12, Table 1's value.
 */
export function optimizerBytesPerParameter(
  optimizer: Optimizer,
  valueBytes: number,
  separateMaster: boolean,
): number {
  const master = separateMaster || valueBytes < 4 ? 4 : 0;
  return master + 4 * optimizerStateNames(optimizer).length;
}

/**
 * Device-memory traffic of one optimizer step per parameter it updates: the gradient read, the model
 * value written (and read too when no master holds it), and every byte of optimizer state read and
 * written. AdamW in mixed precision: 2 + 2 + 2·12 = 28 bytes.
 */
export function stepBytesPerParameter(
  optimizer: Optimizer,
  valueBytes: number,
  separateMaster: boolean,
): number {
  const k = optimizerBytesPerParameter(optimizer, valueBytes, separateMaster);
  const master = separateMaster || valueBytes < 4;
  return valueBytes + valueBytes + (master ? 0 : valueBytes) + 2 * k;
}

/**
 * The vectors a schedule of the family declares. The backend charges each `dimension × bytesPerValue`
 * to its category, which is exactly Table 1's 2Ψ for the bf16 model (x, "parameters"), the bf16
 * gradient accumulator (g, "gradients") and, for DPU and ACCO, the bf16 communication buffer
 * ("buffers"). The optimizer state is NOT declared: at 2 bytes per value the declared-vector rule would
 * charge 2Ψ per state vector instead of 4Ψ (fp32), unsharded; `Replica` allocates its vectors directly
 * and charges K bytes per parameter of the worker's shard (or of the whole model, for DDP) instead.
 */
export function declaredState(withCommBuffer: boolean): readonly StateVector[] {
  const vectors: StateVector[] = [
    { name: "x", category: "parameters" },
    { name: "g", category: "gradients" },
  ];
  if (withCommBuffer) vectors.push({ name: "comm", category: "buffers" });
  return vectors;
}

/** How the optimizer state is laid out: whole on every worker (DDP) or sharded (ZeRO-1, DPU, ACCO). */
export type StateLayout = "replicated" | "sharded";

/**
 * One worker's side of a synchronous method: its model x, gradient accumulator g, the optimizer state,
 * its shard of the parameters, the step counter and its report.
 *
 * Sharding with the kernels we have: they work on whole vectors (no views), so a worker keeps its
 * optimizer vectors at full length and steps all coordinates, but only its shard [lo, hi) is meaningful:
 * it is the only slice where the reduce-scatter left the summed gradient, the only one it all-gathers
 * out, and the optimizers are coordinate-wise, so the other coordinates never leak into it. The device
 * time (`memoryWork`) and the memory charged are those of the shard alone.
 */
export class Replica {
  readonly worker: Worker;
  readonly group: Group;
  readonly optimizer: Optimizer;
  readonly x: Vec;
  readonly g: Vec;
  /** The gradient of one micro-batch, before it is added to g (backward accumulates in place on a GPU). */
  readonly micro: Vec;
  /** The optimizer's state vectors, in `step`'s order. */
  readonly state: readonly Vec[];
  /** [lo, hi) of the parameters this worker's optimizer owns: everything for a replicated layout. */
  readonly shard: readonly [number, number];
  /** Bytes one optimizer step moves through device memory (its shard). */
  readonly stepBytes: number;
  /** Bytes of optimizer state this worker holds (K per parameter of its shard). */
  readonly stateBytes: number;
  /** Optimizer steps taken (AdamW's bias correction counts them). */
  steps = 0;
  private readonly report: StepReport;

  constructor(
    worker: Worker,
    optimizer: Optimizer,
    layout: StateLayout,
    separateMaster: boolean,
    nominalMicroBatches: number,
  ) {
    this.worker = worker;
    // One array per run, shared by every worker: an array each made building n workers cost n² (33 s
    // and 2.4 GB at 16 000 workers, out of memory at 10⁵; found by the scenario fuzzer).
    this.group = worker.everyone;
    this.optimizer = optimizer;
    const { kernels, problem } = worker;
    const d = problem.dimension;
    this.x = worker.vector("x");
    this.g = worker.vector("g");
    // Uncharged: on a GPU the backward pass accumulates into g in place; the kernels need a target.
    this.micro = kernels.alloc(d);
    this.state = optimizerStateNames(optimizer).map(() => kernels.alloc(d));
    this.shard = layout === "sharded" ? worker.shardOf(worker.rank, worker.workers, d) : [0, d];
    const owned = this.shard[1] - this.shard[0];
    const v = problem.bytesPerValue;
    this.stateBytes = owned * optimizerBytesPerParameter(optimizer, v, separateMaster);
    worker.allocate("optimizerState", this.stateBytes);
    this.stepBytes = owned * stepBytesPerParameter(optimizer, v, separateMaster);
    this.report = new StepReport(worker, nominalMicroBatches);
  }

  /**
   * One micro-batch at x, accumulated into `into` (written directly when `first`), at the worker's
   * next compute slot (the theory backend: one tick per gradient unit, the gradient instantaneous).
   */
  *microBatch(x: Vec, into: Vec, first: boolean): ScheduleProcess {
    const { worker } = this;
    yield* worker.computeSlot("periodic");
    if (first) yield worker.gradient(x, into);
    else {
      yield worker.gradient(x, this.micro);
      worker.kernels.axpy(into, 1, this.micro);
    }
    worker.count("microBatches");
  }

  /** `accumulation` micro-batches at x into g, starting from zero. */
  *accumulate(accumulation: number): ScheduleProcess {
    for (let m = 0; m < accumulation; m++) yield* this.microBatch(this.x, this.g, m === 0);
  }

  /**
   * The optimizer's arithmetic on `params` with gradient `grad` (already averaged), as step number
   * `this.steps + 1`; the step is committed (counted) unless `tentative`. Then its device time.
   */
  *optimizerStep(params: Vec, grad: Vec, tentative = false): ScheduleProcess {
    const lr = learningRateOf(this.optimizer.lr, this.optimizer.schedule, this.steps);
    step(this.worker.kernels, this.optimizer, params, grad, this.state, this.steps + 1, lr);
    if (!tentative) this.steps++;
    yield this.worker.memoryWork(this.stepBytes);
  }

  /** Reports a committed optimizer step made of `microBatches` of this worker's micro-batches. */
  reportStep(microBatches: number): void {
    this.report.step(microBatches);
  }
}

/**
 * The per-worker counts every schedule of the family reports: `steps` (optimizer steps),
 * `microBatchesPerStep` (the mean number of this worker's micro-batches in a step: `accumulation` for
 * DDP and ZeRO-1, adaptive for DPU and ACCO) and `extraMicroBatches` (micro-batches beyond the nominal
 * count, ACCO's "supplementary accumulation steps"). `microBatches` is counted as they complete.
 * `microBatchesPerStep` is a mean, kept in an additive counter by adding its change at each step.
 */
class StepReport {
  private readonly worker: Worker;
  private readonly nominal: number;
  private steps = 0;
  private consumed = 0;
  private reported = 0;

  constructor(worker: Worker, nominal: number) {
    this.worker = worker;
    this.nominal = nominal;
  }

  step(microBatches: number): void {
    this.steps++;
    this.consumed += microBatches;
    const mean = this.consumed / this.steps;
    this.worker.count("steps");
    this.worker.count("microBatchesPerStep", mean - this.reported);
    this.worker.count("extraMicroBatches", Math.max(0, microBatches - this.nominal));
    this.reported = mean;
  }
}
