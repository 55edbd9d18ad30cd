/**
 * Link ids of device NICs, shared by every layout that has NICs: an uplink (device → network) and a
 * downlink (network → device) per device, laid out from `base`. In half duplex the two directions are
 * one link, so a device sending and receiving at once splits one capacity.
 */
import type { Duplex } from "./link-class.ts";

export function nicLinkCount(devices: number, duplex: Duplex): number {
  return duplex === "full" ? 2 * devices : devices;
}

export function uplinkOf(base: number, device: number, duplex: Duplex): number {
  return duplex === "full" ? base + 2 * device : base + device;
}

export function downlinkOf(base: number, device: number, duplex: Duplex): number {
  return duplex === "full" ? base + 2 * device + 1 : base + device;
}

export function describeNicLink(base: number, link: number, duplex: Duplex): string {
  const offset = link - base;
  if (duplex === "half") return `NIC of device ${offset}`;
  return `${offset % 2 === 0 ? "uplink" : "downlink"} of device ${offset >> 1}`;
}
