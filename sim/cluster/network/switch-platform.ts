/**
 * Layout (a): every device plugs its NIC into one non-blocking switch. A route is the source's uplink
 * then the destination's downlink, so the only contention is at NICs (a device talking to many peers
 * at once, or many peers talking to one device), which is the usual first-order model of a fat tree.
 */
import {
  checkCount,
  checkDuplex,
  checkLinkClass,
  type Duplex,
  fillLinks,
  type LinkClass,
} from "./link-class.ts";
import { describeNicLink, downlinkOf, nicLinkCount, uplinkOf } from "./nic-links.ts";
import type { Platform } from "./platform.ts";

export class SwitchPlatform implements Platform {
  readonly deviceCount: number;
  readonly linkCount: number;
  readonly linkCapacity: Float64Array;
  readonly linkLatency: Float64Array;
  private readonly duplex: Duplex;
  /** Reused for every route: routes are computed, not stored (a million pairs at 1 024 devices). */
  private readonly scratch = new Int32Array(2);

  constructor(devices: number, nic: LinkClass, duplex: Duplex, path: string) {
    checkCount(devices, `${path}.devices`, "number of devices");
    checkLinkClass(nic, `${path}.nic`);
    checkDuplex(duplex, path);
    this.deviceCount = devices;
    this.duplex = duplex;
    this.linkCount = nicLinkCount(devices, duplex);
    this.linkCapacity = new Float64Array(this.linkCount);
    this.linkLatency = new Float64Array(this.linkCount);
    fillLinks(this.linkCapacity, this.linkLatency, 0, this.linkCount, nic);
  }

  route(src: number, dst: number): Int32Array {
    this.scratch[0] = uplinkOf(0, src, this.duplex);
    this.scratch[1] = downlinkOf(0, dst, this.duplex);
    return this.scratch;
  }

  describeLink(link: number): string {
    return describeNicLink(0, link, this.duplex);
  }
}
