import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layering of DESIGN.md, read from the import statements: `sim/` and the CPU side of `kernels/`
 * use no Node built-in (they must run in a browser tab or a worker thread unchanged); `sim/engine/`
 * knows nothing of clusters; `sim/cluster/` knows nothing of algorithms, workloads or scenarios.
 */
const root = resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f));
}

/** Every module specifier a file imports or re-exports, statically or dynamically. */
function specifiers(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) found.push(m[1]!);
  return found;
}

const builtins = new Set(builtinModules);
const isBuiltin = (spec: string) => spec.startsWith("node:") || builtins.has(spec.split("/")[0]!);

/** The repository-relative path a relative specifier of `file` points to; bare specifiers as they are. */
function target(file: string, spec: string): string {
  return spec.startsWith(".") ? relative(root, resolve(root, dirname(file), spec)) : spec;
}

describe("layering (DESIGN.md)", () => {
  const simFiles = sources("sim");
  const cpuKernelFiles = sources("kernels").filter((f) => !f.startsWith(join("kernels", "webgpu")));

  it("finds the sources it checks", () => {
    expect(simFiles.length).toBeGreaterThan(100);
    expect(simFiles).toContain(join("sim", "engine", "event-queue.ts"));
    expect(cpuKernelFiles).toContain(join("kernels", "cpu.ts"));
  });

  it("sim/ and the CPU kernels import no Node built-in", () => {
    const offending = [...simFiles, ...cpuKernelFiles].flatMap((f) =>
      specifiers(f)
        .filter(isBuiltin)
        .map((s) => `${f}: ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it("sim/engine/ imports only itself and pure-rand", () => {
    const offending = sources(join("sim", "engine")).flatMap((f) =>
      specifiers(f)
        .map((s) => [s, target(f, s)] as const)
        .filter(([, t]) => !t.startsWith(join("sim", "engine")) && !t.startsWith("pure-rand/"))
        .map(([s]) => `${f}: ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it("sim/cluster/ imports only itself, the engine and the error type", () => {
    const allowed = [join("sim", "cluster"), join("sim", "engine"), join("sim", "errors.ts")];
    const offending = sources(join("sim", "cluster")).flatMap((f) =>
      specifiers(f)
        .map((s) => [s, target(f, s)] as const)
        .filter(([, t]) => !allowed.some((a) => t.startsWith(a)))
        .map(([s]) => `${f}: ${s}`),
    );
    expect(offending).toEqual([]);
  });
});
