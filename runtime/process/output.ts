/**
 * A child process's stdout or stderr, line by line, prefixed with its worker so that interleaved
 * output stays readable. Dawn's two "artificially reduced" warnings, printed by native code on every
 * adapter discovery with no way to turn them off (reference/webgpu-on-linux.md §5.5), are dropped.
 */
import type { Readable } from "node:stream";

const dawnNoise = /^Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced/;

export function isDawnNoise(line: string): boolean {
  return dawnNoise.test(line);
}

/** Calls `write` with each complete line of `stream` (and the unterminated last one at its end). */
export function forwardLines(stream: Readable, prefix: string, write: (line: string) => void): void {
  let pending = "";
  const emit = (line: string) => {
    if (!isDawnNoise(line)) write(`${prefix}${line}`);
  };
  stream.setEncoding("utf8");
  stream.on("data", (text: string) => {
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) emit(line);
  });
  stream.on("end", () => {
    if (pending !== "") emit(pending);
    pending = "";
  });
}
