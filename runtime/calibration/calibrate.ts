import { cpus, totalmem } from "node:os";
import { type CalibrationProfile, fitGradients } from "../../sim/calibration/profile.ts";
import { CpuCompute } from "../compute/cpu.ts";
import { WebGpuCompute } from "../compute/webgpu.ts";
import { type ComputeChoice, openAdapter, requestComputeDevice } from "../gpu/dawn.ts";
import { startCluster } from "../process/cluster.ts";
import { measureTcpThroughput } from "../process/tcp-throughput.ts";
import { type ConcurrencyEffort, measureConcurrency, type StartWorkers } from "./concurrency.ts";
import { type GradientMeasurement, measureGradients, type OpenCompute } from "./gradients.ts";
import { measureHostStep } from "./host-step.ts";
import {
  GpuContext,
  type KernelMeasurement,
  measureAxpy,
  measureCopies,
  measureDispatchLatency,
  measureMatmul,
  WebGpuKernels,
} from "./kernels.ts";
import { type LinkMeasurement, measureShapedLink } from "./link.ts";
import { plainAxpyRate, plainMatmulRate } from "./plain-loops.ts";

export interface CalibrateOptions {
  /** `cpu`: gradients on the host; otherwise a WebGPU backend (`auto` picks). */
  readonly compute: ComputeChoice;
  /** Smaller sizes and fewer repetitions (seconds instead of a minute): for tests and a first look. */
  readonly quick?: boolean;
  /** One line per finished measurement (the CLI prints them on stderr). */
  readonly progress?: (line: string) => void;
}

interface Sizes {
  readonly matmul: readonly number[];
  readonly axpy: readonly number[];
  readonly reps: number;
  readonly maxWorkers: number;
  readonly concurrency: ConcurrencyEffort;
  readonly tcpBytes: number;
}

const FULL: Sizes = {
  matmul: [512, 1024],
  axpy: [1 << 20, 1 << 24],
  reps: 5,
  maxWorkers: 8,
  concurrency: { gradientsEach: 20, roundSeconds: 1, rounds: 3 },
  tcpBytes: 1 << 24,
};
const QUICK: Sizes = {
  matmul: [128],
  axpy: [1 << 16],
  reps: 3,
  maxWorkers: 2,
  concurrency: { gradientsEach: 3, roundSeconds: 0, rounds: 1 },
  tcpBytes: 1 << 20,
};

/** The host step is timed at the validation MLP's scale (784-64-10: 50 890 parameters). */
const HOST_STEP_PARAMETERS = 1 << 16;

/**
 * Measures what the cost model needs on this machine and returns the profile (`dtsim calibrate`
 * writes it; `--profile` reads it): kernel throughput and fixed costs on the device, gradient times
 * and their fits per problem kind, the slowdown of concurrent workers, a shaped link against its
 * α-β prediction, and process-to-process TCP throughput.
 */
export async function calibrate(options: CalibrateOptions): Promise<CalibrationProfile> {
  const sizes = options.quick ? QUICK : FULL;
  const progress = options.progress ?? (() => {});
  const kernels: KernelMeasurement[] = [];
  let openCompute: OpenCompute;
  let adapter = "host CPU (float64 arithmetic, one thread)";
  let fixed: { dispatchLatency?: number; hostToDevice?: number; deviceToHost?: number } = {};

  if (options.compute === "cpu") {
    openCompute = async (problem) => new CpuCompute(problem);
    kernels.push(...(await plainLoopKernels(sizes, progress)));
  } else {
    const backend = options.compute;
    const opened = await openAdapter(backend);
    adapter = `${opened.backend}: ${opened.description}`;
    progress(`adapter ${adapter}`);
    const device = await requestComputeDevice(opened);
    try {
      const ctx = new GpuContext(device);
      const webgpu = new WebGpuKernels(ctx);
      for (const n of sizes.matmul) {
        const m = await measureMatmul(ctx, n, sizes.reps);
        kernels.push(m);
        progress(
          `matmul ${n}: ${(m.rate / 1e9).toFixed(2)} GFLOP/s (plain loop ${(m.plainLoopRate / 1e9).toFixed(2)})`,
        );
      }
      for (const n of sizes.axpy) {
        const m = await measureAxpy(webgpu, ctx, n, sizes.reps);
        kernels.push(m);
        progress(
          `axpy ${n}: ${(m.rate / 1e9).toFixed(2)} GB/s (plain loop ${(m.plainLoopRate / 1e9).toFixed(2)})`,
        );
      }
      const dispatchLatency = await measureDispatchLatency(webgpu, sizes.reps * 10);
      const copies = await measureCopies(ctx, sizes.axpy.at(-1)! * 4, sizes.reps);
      fixed = { dispatchLatency, ...copies };
      progress(
        `dispatch + readback ${(dispatchLatency * 1e6).toFixed(0)} µs; host→device ${(copies.hostToDevice / 1e9).toFixed(2)} GB/s, device→host ${(copies.deviceToHost / 1e9).toFixed(2)} GB/s`,
      );
    } finally {
      device.destroy();
    }
    openCompute = (problem) => WebGpuCompute.create(problem, backend);
  }

  const gradients = await measureGradients(openCompute, sizes.reps, progress);
  const device = options.compute === "cpu" ? "cpu" : "webgpu";
  const startWorkers: StartWorkers = async (problem, source) => {
    // Eight processes each loading tsx, Dawn and MNIST on two cores take a while: a generous start.
    const cluster = await startCluster({
      workers: source.workers,
      problem: source,
      device,
      startTimeoutMs: 300_000,
    });
    return {
      computes: Array.from({ length: problem.workers }, (_, w) => cluster.compute(w)),
      transport: cluster.transport,
      close: () => cluster.close(),
    };
  };
  const concurrency = await measureConcurrency(
    openCompute,
    startWorkers,
    sizes.maxWorkers,
    sizes.concurrency,
    progress,
  );
  const peakFlops = best(kernels, "matmul");
  const fits = fitsByProblem(gradients, peakFlops);
  const link: LinkMeasurement = await measureShapedLink(options.quick ?? false);
  progress(
    `shaped link ${link.bytes} B at ${link.latency * 1e3} ms + ${link.bandwidth / 1e6} MB/s: predicted ${(link.predictedSeconds * 1e3).toFixed(2)} ms, measured ${(link.measuredSeconds * 1e3).toFixed(2)} ms`,
  );
  const tcp = await measureTcpThroughput(sizes.tcpBytes);
  progress(`TCP between processes: ${(tcp.bytesPerSecond / 1e6).toFixed(0)} MB/s`);
  const hostStep = await measureHostStep(HOST_STEP_PARAMETERS, sizes.reps);
  progress(
    `host optimizer step (AdamW, ${HOST_STEP_PARAMETERS} parameters): ${(hostStep.seconds * 1e3).toFixed(2)} ms, ${(hostStep.bytesPerSecond / 1e9).toFixed(2)} GB/s`,
  );

  return {
    format: "dtsim-calibration/1",
    measuredAt: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model.trim() ?? "unknown",
      cores: cpus().length,
      memory: totalmem(),
      node: process.version,
    },
    compute: { kind: options.compute === "cpu" ? "cpu" : "webgpu", adapter },
    kernels,
    ...fixed,
    gradients,
    fits,
    concurrency,
    // A software adapter (and the CPU) uses host memory: the machine's memory is the device's.
    device: { peakFlops, memoryBandwidth: best(kernels, "axpy"), memory: totalmem() },
    link,
    tcp: { bytes: sizes.tcpBytes, seconds: tcp.seconds, bytesPerSecond: tcp.bytesPerSecond },
    hostStep,
  };
}

/** Without a GPU, "the device" is the plain loop: its matmul and axpy rates stand for peak and bandwidth. */
async function plainLoopKernels(
  sizes: Sizes,
  progress: (line: string) => void,
): Promise<KernelMeasurement[]> {
  const n = Math.min(256, sizes.matmul.at(-1)!);
  const matmulRate = await plainMatmulRate(n);
  const m = sizes.axpy.at(-1)!;
  const axpyRate = await plainAxpyRate(m);
  progress(
    `plain loops: matmul ${(matmulRate / 1e9).toFixed(2)} GFLOP/s, axpy ${(axpyRate / 1e9).toFixed(2)} GB/s`,
  );
  return [
    {
      kernel: "matmul",
      size: n,
      seconds: (2 * n ** 3) / matmulRate,
      rate: matmulRate,
      unit: "FLOP/s",
      plainLoopRate: matmulRate,
    },
    {
      kernel: "axpy",
      size: m,
      seconds: (12 * m) / axpyRate,
      rate: axpyRate,
      unit: "B/s",
      plainLoopRate: axpyRate,
    },
  ];
}

function best(kernels: readonly KernelMeasurement[], kernel: string): number {
  return Math.max(...kernels.filter((k) => k.kernel === kernel).map((k) => k.rate));
}

function fitsByProblem(gradients: readonly GradientMeasurement[], peakFlops: number) {
  const fits: Record<string, { efficiency: number; launchOverhead: number }> = {};
  for (const kind of new Set(gradients.map((g) => g.problem))) {
    fits[kind] = fitGradients(
      gradients.filter((g) => g.problem === kind),
      peakFlops,
    );
  }
  return fits;
}
