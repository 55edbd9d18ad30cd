/**
 * Opening WebGPU adapters through Dawn (npm `webgpu`), with the rules measured in
 * ../shared/reference/webgpu-on-linux.md built in:
 *
 * - The object `create()` returns must stay reachable while any device from it lives, or GC destroys
 *   the Dawn instance under the device and the process segfaults (§5.1). Every instance is therefore
 *   kept in a module-level set for the life of the process.
 * - GLES needs `EGL_PLATFORM=surfaceless`, set in the main thread before `create()` (§1.4).
 * - GLES needs `featureLevel: "compatibility"`; Vulkan (lavapipe from Mesa ≥ 25, or a real driver)
 *   offers `core` (§1.4, §0.2). `auto` tries Vulkan first, then GLES.
 */

import { existsSync, readdirSync } from "node:fs";

export type GpuBackend = "vulkan" | "opengles";
export type GpuBackendChoice = GpuBackend | "auto";

export const GPU_BACKENDS: readonly GpuBackendChoice[] = ["auto", "vulkan", "opengles"];

/** What computes a worker's gradients: a WebGPU backend, or the host CPU. */
export type ComputeChoice = GpuBackendChoice | "cpu";
export const COMPUTE_CHOICES: readonly ComputeChoice[] = [...GPU_BACKENDS, "cpu"];

/** A WebGPU adapter that could not be had: the message says what to install or choose. */
export class GpuUnavailableError extends Error {
  override readonly name = "GpuUnavailableError";
}

export interface OpenedAdapter {
  readonly adapter: GPUAdapter;
  readonly backend: GpuBackend;
  /** `adapter.info.description` (vendor and architecture are empty on GLES). */
  readonly description: string;
  readonly featureLevel: "core" | "compatibility";
  /** The Dawn instance it came from: each further device needs an adapter of its own from it. */
  readonly instance: GPU;
}

type DawnModule = { create(options: string[]): GPU; globals: object };

/** Keeps every Dawn instance reachable for the life of the process (§5.1). */
const liveInstances = new Set<GPU>();
let dawn: DawnModule | undefined;

async function loadDawn(): Promise<DawnModule> {
  if (dawn !== undefined) return dawn;
  process.env.EGL_PLATFORM ??= "surfaceless";
  try {
    dawn = (await import("webgpu")) as DawnModule;
  } catch (error) {
    throw new GpuUnavailableError(
      `cannot load the npm package "webgpu" (${error instanceof Error ? error.message : String(error)}); run npm install`,
    );
  }
  // GPUBufferUsage, GPUMapMode… as globals, as in a browser.
  Object.assign(globalThis, dawn.globals);
  return dawn;
}

/** The backend asked for by `DTSIM_GPU_BACKEND`, or `auto`. */
export function backendFromEnvironment(): GpuBackendChoice {
  const value = process.env.DTSIM_GPU_BACKEND;
  if (value === undefined || value === "") return "auto";
  if ((GPU_BACKENDS as readonly string[]).includes(value)) return value as GpuBackendChoice;
  throw new GpuUnavailableError(
    `DTSIM_GPU_BACKEND: got "${value}", expected one of ${GPU_BACKENDS.join(", ")}`,
  );
}

async function tryBackend(module: DawnModule, backend: GpuBackend): Promise<OpenedAdapter | undefined> {
  const instance = module.create([`backend=${backend}`]);
  liveInstances.add(instance);
  const featureLevel = backend === "vulkan" ? "core" : "compatibility";
  const adapter = await instance.requestAdapter({ featureLevel });
  if (adapter === null) return undefined;
  return { adapter, backend, description: adapter.info.description || backend, featureLevel, instance };
}

const cache = new Map<GpuBackendChoice, Promise<OpenedAdapter>>();
const consumedAdapters = new WeakSet<GPUAdapter>();

/**
 * An adapter on the chosen backend (`auto`: Vulkan core where a driver accepts it, else GLES
 * compatibility). Adapter discovery prints two Dawn warnings to stderr each time on GLES, so the
 * result is cached per backend choice and devices are requested from the one adapter.
 */
export function openAdapter(choice: GpuBackendChoice = backendFromEnvironment()): Promise<OpenedAdapter> {
  let pending = cache.get(choice);
  if (pending === undefined) {
    pending = discover(choice);
    cache.set(choice, pending);
    pending.catch(() => cache.delete(choice));
  }
  return pending;
}

/**
 * Whether a Vulkan driver is installed (an ICD manifest in the loader's standard places). Probing
 * Vulkan without one only prints Dawn's "Couldn't load Vulkan" warning, so `auto` skips it then.
 */
function hasVulkanDriver(): boolean {
  const places = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d"];
  return places.some((dir) => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith(".json")));
}

async function discover(choice: GpuBackendChoice): Promise<OpenedAdapter> {
  const module = await loadDawn();
  const order: GpuBackend[] =
    choice !== "auto" ? [choice] : hasVulkanDriver() ? ["vulkan", "opengles"] : ["opengles"];
  for (const backend of order) {
    const opened = await tryBackend(module, backend);
    if (opened !== undefined) return opened;
  }
  throw new GpuUnavailableError(
    choice === "vulkan"
      ? "no Vulkan WebGPU adapter: install a Vulkan driver (on Debian 12: apt-get install -t bookworm-backports mesa-vulkan-drivers), or use --backend opengles"
      : "no WebGPU adapter: install the software GPU (on Debian 12, as root: apt-get install --no-install-recommends libegl1 libgl1-mesa-dri && ln -sf libEGL.so.1 /usr/lib/x86_64-linux-gnu/libEGL.so), or run scripts/ensure-gpu.mjs",
  );
}

/**
 * A device with the adapter's maxima for the limits compute kernels care about (compatibility
 * defaults cap a workgroup at 128 invocations and 8 storage buffers per stage, §4.3).
 */
export async function requestComputeDevice(opened: OpenedAdapter): Promise<GPUDevice> {
  // Dawn lets an adapter create one device ("adapter is consumed"): the first device takes the
  // discovered adapter, every later one a fresh adapter from the same instance.
  let adapter = opened.adapter;
  if (consumedAdapters.has(adapter)) {
    const fresh = await opened.instance.requestAdapter({ featureLevel: opened.featureLevel });
    if (fresh === null)
      throw new GpuUnavailableError(`no further ${opened.backend} adapter for another device`);
    adapter = fresh;
  }
  consumedAdapters.add(adapter);
  const limits = adapter.limits;
  const requiredLimits: Record<string, number> = {
    maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
    maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupSizeY: limits.maxComputeWorkgroupSizeY,
    maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
    maxBufferSize: limits.maxBufferSize,
  };
  const device = await adapter.requestDevice({ requiredLimits });
  device.addEventListener("uncapturederror", (event) => {
    // A WGSL or validation error is a dtsim bug: surface it rather than computing garbage.
    console.error(`dtsim: WebGPU error: ${(event as GPUUncapturedErrorEvent).error.message}`);
  });
  return device;
}
