import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { forwardLines } from "../../runtime/process/output.ts";

describe("a worker's output lines", () => {
  it("are prefixed, reassembled across chunks, and cleared of Dawn's two limit warnings", async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    forwardLines(stream, "[worker 2] ", (line) => lines.push(line));
    stream.write("first li");
    stream.write(
      "ne\nWarning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 90 to 16 to fit dynamic offset allocation limit.\n",
    );
    stream.write(
      "Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 80 to 16 to fit dynamic offset allocation limit.\nWarning: something else\nno newline at the end",
    );
    stream.end();
    await new Promise((resolve) => stream.on("end", resolve));
    expect(lines).toEqual([
      "[worker 2] first line",
      "[worker 2] Warning: something else",
      "[worker 2] no newline at the end",
    ]);
  });
});
