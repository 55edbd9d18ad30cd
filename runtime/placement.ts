import type { Problem } from "../sim/problems/problem.ts";
import type { Scenario } from "../sim/scenario/types.ts";
import type { Transport } from "./compute/transport.ts";
import type { WorkerCompute } from "./compute/worker-compute.ts";
import type { GpuBackendChoice } from "./gpu/dawn.ts";
import type { DeviceKind } from "./process/protocol.ts";
import { type RuntimeResult, runOnRuntime } from "./run.ts";

/**
 * Where a run's workers compute: in this process (the CPU, shared; or one WebGPU device per worker)
 * or one OS process per worker talking over TCP (each owning its device). Processes are what a
 * validation wants on a machine whose GPU path blocks the thread that submits (GLES, §5.4 of
 * webgpu-on-linux.md): the coordinator's clock and link shaping then never wait behind a kernel.
 */

export interface Placement {
  readonly compute: (worker: number, problem: Problem) => WorkerCompute | Promise<WorkerCompute>;
  readonly transport?: Transport;
  /** Stops what was started (worker processes); idempotent, safe after the run closed the computes. */
  close(): Promise<void>;
  readonly label: string;
}

export interface PlacementOptions {
  readonly device: DeviceKind;
  readonly processes: boolean;
  readonly backend?: GpuBackendChoice;
}

export async function placeWorkers(scenario: Scenario, options: PlacementOptions): Promise<Placement> {
  if (options.processes) {
    const { startCluster } = await import("./process/cluster.ts");
    const { problemSourceOf } = await import("./process/protocol.ts");
    const cluster = await startCluster({
      workers: scenario.cluster.workers,
      problem: problemSourceOf(scenario),
      device: options.device,
      // Eight workers each loading tsx, Dawn and their data on two cores can take a minute.
      startTimeoutMs: 300_000,
    });
    return {
      compute: (worker) => cluster.compute(worker),
      transport: cluster.transport,
      close: () => cluster.close(),
      label: `${scenario.cluster.workers} processes (${options.device})`,
    };
  }
  if (options.device === "cpu") {
    const { CpuCompute } = await import("./compute/cpu.ts");
    let shared: WorkerCompute | undefined;
    return {
      compute: (_worker, problem) => {
        shared ??= new CpuCompute(problem);
        return shared;
      },
      close: async () => {},
      label: "this process (cpu)",
    };
  }
  const { WebGpuCompute } = await import("./compute/webgpu.ts");
  const { openDevicePool } = await import("./gpu/device-pool.ts");
  // One device per worker, as on a cluster (each with its own queue and only its worker's shard),
  // their lifetimes owned by the pool's Effect scope.
  const pool = await openDevicePool(scenario.cluster.workers, options.backend ?? "auto");
  return {
    compute: (worker, problem) =>
      WebGpuCompute.onDevice(problem, pool.devices[worker]!, pool.adapter.description, [worker]),
    close: () => pool.close(),
    label: "this process (one WebGPU device per worker)",
  };
}

/** Runs `scenario` on the runtime with `placement`'s computes and transport, then closes the placement. */
export async function runPlaced(
  scenario: Scenario,
  placement: Placement,
  onProgress?: (time: number, events: number) => void,
): Promise<RuntimeResult> {
  try {
    return await runOnRuntime(scenario, {
      compute: placement.compute,
      ...(placement.transport === undefined ? {} : { transport: placement.transport }),
      ...(onProgress === undefined ? {} : { onProgress }),
    });
  } finally {
    await placement.close();
  }
}
