import { describe, expect, it } from "vitest";
import { GpuUnavailableError } from "../../runtime/gpu/dawn.ts";
import { openDevicePool } from "../../runtime/gpu/device-pool.ts";
import { testGpu } from "../kernels/conformance-gpu.ts";

/**
 * The device pool: one device per worker, all destroyed when its Effect scope closes. Runs on the
 * software adapter here; skipped, with the reason printed, where no adapter opens.
 */
const gpu = await testGpu();

describe.skipIf(gpu.skipReason !== undefined)("device pool", () => {
  it("opens one distinct device per worker and destroys them all on close", async () => {
    const pool = await openDevicePool(3, "auto");
    expect(new Set(pool.devices).size).toBe(3);
    const lost = pool.devices.map((d) => d.lost);
    await pool.close();
    const reasons = await Promise.all(lost);
    expect(reasons.map((r) => r.reason)).toEqual(["destroyed", "destroyed", "destroyed"]);
    await pool.close(); // idempotent
  });

  it("rejects with the adapter's reason, leaving nothing open, when the backend has no adapter", async () => {
    // No Vulkan driver on this machine: the pool's first step fails (where one exists, it opens).
    const outcome = await openDevicePool(2, "vulkan").then(
      async (pool) => {
        await pool.close();
        return "opened";
      },
      (error: unknown) => error,
    );
    if (outcome !== "opened") expect(outcome).toBeInstanceOf(GpuUnavailableError);
  });
});
