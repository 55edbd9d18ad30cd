/**
 * Opens the WebGPU device the conformance suite runs its WebGPU half on, once per test file. When no
 * adapter can be opened the WebGPU tests are skipped — never silently: the reason, with what to
 * install, goes to stderr once (console.warn), and the skipped tests show in the report.
 */
import { GpuContext } from "../../kernels/webgpu/context.ts";
import { GpuUnavailableError, openAdapter, requestComputeDevice } from "../../runtime/gpu/dawn.ts";

export type TestGpu =
  | { readonly ctx: GpuContext; readonly description: string; readonly skipReason?: undefined }
  | { readonly ctx?: undefined; readonly skipReason: string };

async function open(): Promise<TestGpu> {
  try {
    const opened = await openAdapter();
    const device = await requestComputeDevice(opened);
    return { ctx: new GpuContext(device), description: `${opened.backend}: ${opened.description}` };
  } catch (error) {
    // Only "no adapter" skips; anything else is a bug the suite must show.
    if (!(error instanceof GpuUnavailableError)) throw error;
    const skipReason = `WebGPU kernel tests skipped: ${error.message}`;
    console.warn(skipReason);
    return { skipReason };
  }
}

let pending: Promise<TestGpu> | undefined;

/** The shared test device (or why there is none). */
export function testGpu(): Promise<TestGpu> {
  pending ??= open();
  return pending;
}
