import { buildScenarioProblem } from "../sim/assemble/workload.ts";
import { RandomStreams } from "../sim/engine/index.ts";
import type { Problem } from "../sim/problems/problem.ts";
import type { RunResult } from "../sim/result.ts";
import { buildRun, finishRun } from "../sim/run.ts";
import type { Scenario } from "../sim/scenario/types.ts";
import { RuntimeBackend } from "./backend.ts";
import { InProcessTransport, type Transport } from "./compute/transport.ts";
import type { WorkerCompute } from "./compute/worker-compute.ts";
import { timeGradientsBeforeRun } from "./gradient-timing.ts";
import { type MeasuredRun, Measurements } from "./measurements.ts";
import { WorkerCrashedError } from "./process/errors.ts";
import { RealTime } from "./real-time.ts";
import { batchSampler } from "./sample-batch.ts";
import { checkRuntimeScenario } from "./scenario-checks.ts";

export interface RuntimeOptions {
  /**
   * Opens the device that computes worker `worker`'s gradients of `problem`. Returning the same
   * object for several workers shares it (it is closed once).
   */
  readonly compute: (worker: number, problem: Problem) => WorkerCompute | Promise<WorkerCompute>;
  /** How vectors travel between workers (default: copies within this process). Closed at the end. */
  readonly transport?: Transport;
  /** Called after each batch of events with the time reached (wall seconds since the start). */
  readonly onProgress?: (time: number, events: number) => void;
  /** Timed gradients per worker before the run, for `meanGradientTime` (default 3, after a warm-up). */
  readonly calibrationRounds?: number;
}

/** A worker process that died during the run (multi-process mode); the run stopped there. */
export interface WorkerCrash {
  readonly worker: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Wall seconds since the run started. */
  readonly at: number;
  readonly message: string;
}

/** The simulator's result for the same scenario (same JSON contract), plus what was measured. */
export interface RuntimeResult extends RunResult {
  readonly measured: MeasuredRun;
  /**
   * Present when a worker process died: the run stopped at that moment (`stopReason` "crashed") and
   * everything measured until then, the other workers' included, is kept.
   */
  readonly crashes?: readonly WorkerCrash[];
}

/**
 * Runs a training scenario for real: the schedule's processes on the simulator's engine driven by the
 * wall clock, gradients on `options.compute`'s devices, vectors through `options.transport`, links
 * shaped by the scenario's network model. Times in the result are wall seconds since the run started.
 * Throws `InputError` for a scenario the runtime cannot run (theory fidelity, shape-only numerics, a
 * timing workload, failures, no stop condition). Devices and transport are closed on every path.
 */
export async function runOnRuntime(scenario: Scenario, options: RuntimeOptions): Promise<RuntimeResult> {
  const wallStart = performance.now();
  checkRuntimeScenario(scenario);
  const workers = scenario.cluster.workers;
  const problem = buildScenarioProblem(scenario, workers, new RandomStreams(scenario.seed));
  batchSampler(problem);
  const transport = options.transport ?? new InProcessTransport();
  const computes: WorkerCompute[] = [];
  try {
    for (let w = 0; w < workers; w++) computes.push(await options.compute(w, problem));
    const calibration = await timeGradientsBeforeRun(
      problem,
      computes,
      scenario.seed,
      options.calibrationRounds ?? 3,
    );
    const realTime = new RealTime(Math.max(1024, 4 * workers));
    const measurements = new Measurements(workers);
    let backend: RuntimeBackend | undefined;
    const built = buildRun(scenario, {
      engine: realTime,
      problem,
      backend: (ctx, kernels, built, _fidelity, state) => {
        backend = new RuntimeBackend(ctx, kernels, built, state, {
          realTime,
          computes,
          transport,
          measurements,
          calibration,
        });
        return backend;
      },
    });
    let stopReason: string;
    const crashes: WorkerCrash[] = [];
    try {
      stopReason = await realTime.run({
        horizon: built.horizon,
        ...(scenario.stop.events === undefined ? {} : { maxEvents: scenario.stop.events }),
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        onLate: (seconds) => measurements.late(seconds),
      });
    } catch (error) {
      // A dead worker process ends the run, not the report: what was measured until then is kept.
      if (!(error instanceof WorkerCrashedError)) throw error;
      stopReason = "crashed";
      crashes.push({
        worker: error.worker,
        exitCode: error.code,
        signal: error.signal,
        at: realTime.clock.now(),
        message: error.message,
      });
    } finally {
      // Nothing may still write into a vector or use a device once the run is over.
      await realTime.drain();
    }
    const result = finishRun(built, stopReason, realTime.clock.now());
    const measured = measurements.summary({
      wallTime: (performance.now() - wallStart) / 1000,
      transport: transport.label,
      computeLabels: computes.map((c) => c.label),
      speedRatios: backend?.speedRatios ?? computes.map(() => 1),
      calibration,
    });
    await closeAll(computes, transport);
    return { ...result, measured, ...(crashes.length === 0 ? {} : { crashes }) };
  } catch (error) {
    // The run's own error is the one to report; a device that also fails to close must not hide it.
    await closeAll(computes, transport).catch(() => {});
    throw error;
  }
}

/** Closes each distinct device once, then the transport; the first error is rethrown after all closed. */
async function closeAll(computes: readonly WorkerCompute[], transport: Transport): Promise<void> {
  const outcomes = await Promise.allSettled([
    ...[...new Set(computes)].map((c) => c.close()),
    transport.close(),
  ]);
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failed !== undefined) throw failed.reason;
}
