import { describe, expect, it } from "vitest";
import { measureTcpThroughput } from "../../runtime/process/tcp-throughput.ts";

describe("measureTcpThroughput", () => {
  it("times a transfer to another process and reports bytes per second of that time", async () => {
    const bytes = 1 << 20;
    const result = await measureTcpThroughput(bytes, 1);
    expect(result.seconds).toBeGreaterThan(0);
    expect(result.bytesPerSecond).toBe(bytes / result.seconds);
  }, 60_000);

  it("refuses a size that is not a positive integer", async () => {
    await expect(measureTcpThroughput(0)).rejects.toThrow(RangeError);
  });
});
