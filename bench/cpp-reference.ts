import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const buildDir = join(here, "..", ".bench");

/** Compiles the C++ hold reference with g++ -O2 (each bench run, so flags and compiler are current). */
export function compileHoldReference(): string | undefined {
  mkdirSync(buildDir, { recursive: true });
  const binary = join(buildDir, "hold");
  try {
    execFileSync("g++", ["-O2", "-std=c++17", "-o", binary, join(here, "cpp", "hold.cpp")], {
      stdio: "pipe",
    });
    return binary;
  } catch (error) {
    process.stderr.write(
      `bench: could not compile the C++ reference (${(error as Error).message.split("\n")[0]})\n`,
    );
    return undefined;
  }
}

export function referenceHoldEventsPerSecond(binary: string, pending: number, events: number): number {
  const output = execFileSync(binary, [String(pending), String(events)], { encoding: "utf8" });
  return Number(output.trim().split(" ")[0]);
}
