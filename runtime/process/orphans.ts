/**
 * Worker processes must not outlive the coordinator. Each worker exits by itself when its control
 * connection or stdin pipe closes (which covers a coordinator killed by SIGKILL); in addition, every
 * live child is killed here when the coordinator exits or is interrupted, so that none is left
 * computing even for the moment it takes to notice.
 */
import type { ChildProcess } from "node:child_process";

const live = new Set<ChildProcess>();
const signals: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
let installed = false;

function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // Our listener replaced Node's default (exit on the signal). When nobody else handles it, restore
  // the default and raise the signal again, so the coordinator dies as it would have without us.
  if (process.listenerCount(signal) === 1) {
    uninstall();
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAll);
  for (const signal of signals) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off("exit", killAll);
  for (const signal of signals) process.off(signal, onSignal);
}

/** Kills `child` if the coordinator exits first; forgotten when the child exits. */
export function guardChild(child: ChildProcess): void {
  live.add(child);
  install();
  child.once("exit", () => {
    live.delete(child);
    if (live.size === 0) uninstall();
  });
}
