import type { DeviceSpec } from "./types.ts";
import { parseQuantity } from "./units.ts";

/**
 * Named devices and networks a scenario can start from: `cluster.device.preset: h100` (or one
 * worker's `cluster.devices[i].preset`) fills peakFlops, efficiency, memoryBandwidth and memory;
 * `cluster.network.preset: ib-200` fills bandwidth and latency. A field the file gives itself always
 * wins over its preset, and a preset over the schema's default (resolve/cluster.ts applies them).
 *
 * Values are written as in a scenario file and read with the same units, so that `dtsim presets` and
 * the reference show exactly what a file would say.
 */

export interface DevicePreset {
  /** What the numbers describe, in a few words. */
  readonly summary: string;
  /** Peak compute rate, as written in a file. */
  readonly peakFlops: string;
  /** Fraction of peak a training step reaches (model-FLOPs utilisation). */
  readonly efficiency: number;
  readonly memoryBandwidth: string;
  readonly memory: string;
}

export const devicePresetNames = ["a100", "h100", "laptop"] as const;
export type DevicePresetName = (typeof devicePresetNames)[number];

/**
 * "This machine": its numbers are not known in advance but measured by `dtsim calibrate`, whose
 * profile the CLI passes in (`--profile FILE`); naming it without a profile is an input error.
 */
export const MACHINE_PRESET = "this-machine";
export const MACHINE_SUMMARY =
  "this machine, as measured by `dtsim calibrate` (pass the profile with --profile FILE)";
/** What a file may write in a device's `preset`: the fixed presets and "this-machine". */
export const deviceInputPresetNames = [...devicePresetNames, MACHINE_PRESET] as const;
export type DeviceInputPresetName = (typeof deviceInputPresetNames)[number];

export const devicePresets: Readonly<Record<DevicePresetName, DevicePreset>> = {
  // NVIDIA A100 Tensor Core GPU datasheet, A100 80GB SXM column: BF16 Tensor Core 312 TFLOPS (624
  // with structured sparsity: we use the dense figure), GPU memory 80 GB HBM2e, memory bandwidth
  // 2,039 GB/s (the "2.0 TB/s" of the summary tables). Efficiency 0.5: Narayanan et al. 2021
  // (Megatron-LM, SC'21) sustain 52 % of peak per A100 training GPT models at scale.
  a100: {
    summary: "NVIDIA A100 80GB SXM (bf16 dense)",
    peakFlops: "312 TFLOP/s",
    efficiency: 0.5,
    memoryBandwidth: "2039 GB/s",
    memory: "80 GB",
  },
  // NVIDIA H100 Tensor Core GPU datasheet, H100 SXM column: BF16 Tensor Core 1,979 TFLOPS with
  // sparsity, i.e. 989 TFLOPS dense; GPU memory 80 GB HBM3; memory bandwidth 3.35 TB/s. Efficiency
  // 0.4: Llama 3 (Dubey et al. 2024, Table 4) reports 38–43 % BF16 model-FLOPs utilisation on H100s.
  h100: {
    summary: "NVIDIA H100 SXM (bf16 dense)",
    peakFlops: "989 TFLOP/s",
    efficiency: 0.4,
    memoryBandwidth: "3.35 TB/s",
    memory: "80 GB",
  },
  // Our choice of "a laptop": an Apple MacBook Air with the M2 chip and its 10-core GPU, a common
  // WebGPU machine. Apple's M2 announcement (June 2022): GPU up to 3.6 TFLOPS (fp32), 100 GB/s of
  // unified memory bandwidth, up to 24 GB of unified memory (we take the 16 GB configuration, shared
  // with the system). Efficiency 0.3 is our estimate for hand-written WebGPU kernels, not a measurement.
  laptop: {
    summary: "laptop: Apple M2, 10-core GPU (fp32), 16 GB unified memory",
    peakFlops: "3.6 TFLOP/s",
    efficiency: 0.3,
    memoryBandwidth: "100 GB/s",
    memory: "16 GB",
  },
};

export interface NetworkPreset {
  readonly summary: string;
  /** Each direction, per NIC (switch layout) or per cable (graph layout). */
  readonly bandwidth: string;
  /** One way, device to device. */
  readonly latency: string;
}

export const networkPresetNames = [
  "nvlink",
  "ib-100",
  "ib-200",
  "ib-400",
  "ethernet-10",
  "ethernet-25",
] as const;
export type NetworkPresetName = (typeof networkPresetNames)[number];

/**
 * Typical figures, not measurements of a given cluster. Bandwidths are line rates per direction (the
 * data rate after line coding, before protocol overheads); latencies are typical one-way
 * small-message latencies device to device through one switch.
 */
export const networkPresets: Readonly<Record<NetworkPresetName, NetworkPreset>> = {
  // NVLink 4 through NVSwitch (H100 SXM): 18 links × 25 GB/s each way = 450 GB/s per direction (NVIDIA
  // quotes 900 GB/s, both directions together). A100's NVLink 3 is 300 GB/s per direction: override
  // `bandwidth` for it. Latency: typical, ~1 µs, as the hierarchical layout's intraLatency default.
  nvlink: { summary: "NVLink 4 via NVSwitch (H100 SXM), typical", bandwidth: "450 GB/s", latency: "1 us" },
  // InfiniBand 4x EDR / HDR / NDR: 100 / 200 / 400 Gb/s data rate. Latency: typical end-to-end RDMA
  // latency through one switch is about 1 µs (vendors quote 0.6–1 µs host to host; GPU-to-GPU adds the
  // PCIe hops).
  "ib-100": { summary: "InfiniBand EDR 4x, typical", bandwidth: "100 Gb/s", latency: "1 us" },
  "ib-200": { summary: "InfiniBand HDR 4x, typical", bandwidth: "200 Gb/s", latency: "1 us" },
  "ib-400": { summary: "InfiniBand NDR 4x, typical", bandwidth: "400 Gb/s", latency: "1 us" },
  // 10 / 25 Gigabit Ethernet with TCP through the kernel: typical one-way latency 10–30 µs, most of it
  // in the software stack rather than on the wire (RoCE is closer to InfiniBand: override `latency`).
  "ethernet-10": { summary: "10 Gigabit Ethernet, TCP, typical", bandwidth: "10 Gb/s", latency: "20 us" },
  "ethernet-25": { summary: "25 Gigabit Ethernet, TCP, typical", bandwidth: "25 Gb/s", latency: "20 us" },
};

export type DevicePresetValues = Pick<DeviceSpec, "peakFlops" | "efficiency" | "memoryBandwidth" | "memory"> &
  Partial<Pick<DeviceSpec, "launchOverhead">>;

/** A device preset's fields in SI base units, as the decoder fills them in. */
export function devicePresetValues(name: DevicePresetName): DevicePresetValues {
  const preset = devicePresets[name];
  const at = `device preset ${name}`;
  return {
    peakFlops: parseQuantity("flopRate", preset.peakFlops, `${at}: peakFlops`),
    efficiency: preset.efficiency,
    memoryBandwidth: parseQuantity("bandwidth", preset.memoryBandwidth, `${at}: memoryBandwidth`),
    memory: parseQuantity("size", preset.memory, `${at}: memory`),
  };
}

export interface NetworkPresetValues {
  readonly bandwidth: number;
  readonly latency: number;
}

/** A network preset's fields in SI base units. */
export function networkPresetValues(name: NetworkPresetName): NetworkPresetValues {
  const preset = networkPresets[name];
  const at = `network preset ${name}`;
  return {
    bandwidth: parseQuantity("bandwidth", preset.bandwidth, `${at}: bandwidth`),
    latency: parseQuantity("time", preset.latency, `${at}: latency`, { allowZero: true }),
  };
}
