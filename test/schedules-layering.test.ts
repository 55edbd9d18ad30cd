import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root, sources, specifiers, target } from "./source-imports.ts";

/**
 * Schedules are worker actors (DESIGN.md): a schedule reaches the engine, the devices and the network
 * only through its worker's handle (sim/schedules/worker.ts), and never asks which backend runs it.
 * Besides the handle it may use pure helpers: its own folder, the optimizers, graph math on the
 * topology, the kernels' types, the error type, and what declares its own parameters (the registry's
 * entry type, the scenario's field builders and shared training parameter groups).
 */
/** The handle's API: the worker handle and what a schedule definition is. */
const handle = [join("sim", "schedules", "worker.ts"), join("sim", "schedules", "definition.ts")];
const allowed = [
  join("sim", "schedules"),
  join("sim", "optim"),
  join("sim", "cluster", "topology"),
  join("kernels", "kernels.ts"),
  join("sim", "errors.ts"),
  join("sim", "registry.ts"),
  join("sim", "scenario", "fields.ts"),
  join("sim", "scenario", "params"),
  "effect",
];

describe("schedules are worker actors", () => {
  const scheduleFiles = sources(join("sim", "schedules")).filter((f) => !handle.includes(f));

  it("finds the schedules it checks", () => {
    expect(scheduleFiles).toContain(join("sim", "schedules", "gossip.ts"));
    expect(scheduleFiles.length).toBeGreaterThan(15);
  });

  it("import the engine, devices, network and backends only through the worker handle", () => {
    const offending = scheduleFiles.flatMap((f) =>
      specifiers(f)
        .map((s) => [s, target(f, s)] as const)
        .filter(([, t]) => !allowed.some((a) => t.startsWith(a)))
        .map(([s]) => `${f}: ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it("never mention fidelity: theory and systems are backends", () => {
    const offending = scheduleFiles.filter((f) => /fidelity/i.test(readFileSync(join(root, f), "utf8")));
    expect(offending).toEqual([]);
  });
});
