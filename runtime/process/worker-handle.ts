import type { ChildProcess } from "node:child_process";
import type { FrameConnection } from "./connection.ts";
import type { WorkerCrashedError } from "./errors.ts";
import type { PeerAddress } from "./protocol.ts";

/** The coordinator's view of one worker process. */
export interface WorkerHandle {
  readonly worker: number;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Its control connection, once it said hello. */
  control: FrameConnection | undefined;
  /** Where its peer server listens, from its hello. */
  peer: PeerAddress | undefined;
  /** What computes there, from its ready message ("cpu", "webgpu (…)"). */
  label: string | undefined;
  /** Set once, when the process is lost while it was needed; every later request fails with it. */
  crash: WorkerCrashedError | undefined;
  /** Set when the coordinator asked it to stop: its exit is then expected, not a crash. */
  stopping: boolean;
  /** The last lines it wrote to stderr, for the message when it fails to start. */
  readonly recentErrors: string[];
}

/** Whether the child process has ended (exited or killed). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves when `child` has ended (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Waits up to `graceMs` for a worker asked to stop to exit, then kills it; closes its connection. */
export async function stopOne(handle: WorkerHandle, graceMs: number): Promise<void> {
  const { child } = handle;
  if (!hasExited(child)) {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([exited(child), grace]);
    clearTimeout(timer);
    if (!hasExited(child)) child.kill("SIGKILL");
    await exited(child);
  }
  handle.control?.destroy();
}
