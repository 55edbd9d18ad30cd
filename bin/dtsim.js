#!/usr/bin/env node
// Runs the TypeScript CLI (cli/main.ts) in this process through tsx's loader.
//
// First it installs the locked dependencies if they are missing (a fresh clone: `npx dtsim …` works
// with nothing else done). Then the packages the CLI always needs are imported before the loader is
// registered: Node 20 runs loader hooks on a separate thread, and with them in place each of Effect's
// ~200 modules costs a round trip to it, which made `dtsim --help` take over a second. Loaded
// beforehand they cost what plain Node charges. (Forgetting one here only makes startup slower.)
//
// Commands that open WebGPU devices run in a child process whose stderr is filtered: Dawn's native
// code prints two "artificially reduced" warnings on every adapter discovery, straight to fd 2, with
// no way to turn them off in-process (reference/webgpu-on-linux.md §5.5).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ensureDependencies } from "../scripts/ensure-deps.mjs";

const GPU_COMMANDS = new Set(["calibrate", "validate", "execute"]);
const args = process.argv.slice(2);

if (GPU_COMMANDS.has(args[0] ?? "") && process.env.DTSIM_FILTERED !== "1") {
  ensureDependencies();
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    stdio: ["inherit", "inherit", "pipe"],
    env: { ...process.env, DTSIM_FILTERED: "1", ...(process.stderr.isTTY ? { DTSIM_STDERR_TTY: "1" } : {}) },
  });
  const noise = /^Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced/;
  let pending = "";
  child.stderr.setEncoding("utf8").on("data", (text) => {
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (!noise.test(line)) process.stderr.write(`${line}\n`);
  });
  // Ctrl-C reaches the child through the terminal's process group; the parent just waits for it.
  process.on("SIGINT", () => {});
  child.on("exit", (code, signal) => {
    if (pending !== "" && !noise.test(pending)) process.stderr.write(pending);
    if (signal !== null) process.kill(process.pid, signal);
    process.exitCode = code ?? 1;
  });
} else {
  ensureDependencies();
  await import("effect");
  await import("effect/cli");
  await import("effect/process");
  await import("yaml");
  const { register } = await import("tsx/esm/api");

  register();
  const { main } = await import("../cli/main.ts");
  process.exitCode = await main(process.argv.slice(2));
}
