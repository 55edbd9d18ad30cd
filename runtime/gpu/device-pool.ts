import { Effect, Exit, Scope } from "effect";
import { type GpuBackendChoice, type OpenedAdapter, openAdapter, requestComputeDevice } from "./dawn.ts";

/**
 * One GPUDevice per worker, their lifetimes owned by an Effect scope: each device is acquired with
 * its release (`destroy`) registered, so closing the scope destroys every device that was opened —
 * in reverse order, whether the run succeeded, failed, or a later device failed to open. Devices are
 * destroyed before the Dawn instance could be dropped (dawn.ts keeps instances for the process's life),
 * which is the safe order (webgpu-on-linux.md §4.1, §5.1).
 */
export interface DevicePool {
  readonly adapter: OpenedAdapter;
  readonly devices: readonly GPUDevice[];
  /** Destroys every device of the pool (idempotent). */
  close(): Promise<void>;
}

/** The pool as an Effect needing a Scope: for callers written with Effect. */
export function devicePoolEffect(workers: number, backend: GpuBackendChoice) {
  return Effect.gen(function* () {
    const adapter = yield* Effect.tryPromise({ try: () => openAdapter(backend), catch: (error) => error });
    const devices: GPUDevice[] = [];
    for (let w = 0; w < workers; w++) {
      const device = yield* Effect.acquireRelease(
        Effect.tryPromise({ try: () => requestComputeDevice(adapter), catch: (error) => error }),
        (opened) => Effect.sync(() => opened.destroy()),
      );
      devices.push(device);
    }
    return { adapter, devices };
  });
}

/** Opens the pool in a scope of its own; `close` closes that scope. Rejects (all opened devices destroyed) on failure. */
export async function openDevicePool(workers: number, backend: GpuBackendChoice): Promise<DevicePool> {
  const scope = Effect.runSync(Scope.make());
  const exit = await Effect.runPromiseExit(Scope.provide(scope)(devicePoolEffect(workers, backend)));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await Effect.runPromise(Scope.close(scope, Exit.void));
  };
  if (Exit.isFailure(exit)) {
    await close();
    const failure = exit.cause.reasons.find((r) => r._tag === "Fail");
    throw failure !== undefined ? failure.error : new Error(`device pool: ${String(exit.cause)}`);
  }
  return { ...exit.value, close };
}
