/**
 * Named devices and networks a scenario can start from (the presets of sim/scenario/presets.ts), one
 * file each in device-presets/ and network-presets/, one line each in device-presets.ts and
 * network-presets.ts. Values are written as in a scenario file and read with the same units, so that
 * `dtsim presets` and the reference show exactly what a file would say.
 */

export interface DevicePreset {
  /** What `cluster.device.preset` names. */
  readonly kind: string;
  /** What the numbers describe, in a few words. */
  readonly summary: string;
  /** Peak compute rate, as written in a file. */
  readonly peakFlops: string;
  /** Fraction of peak a training step reaches (model-FLOPs utilisation). */
  readonly efficiency: number;
  readonly memoryBandwidth: string;
  readonly memory: string;
}

export interface NetworkPreset {
  /** What `cluster.network.preset` names. */
  readonly kind: string;
  readonly summary: string;
  /** Each direction, per NIC (switch layout) or per cable (graph layout). */
  readonly bandwidth: string;
  /** One way, device to device. */
  readonly latency: string;
}
