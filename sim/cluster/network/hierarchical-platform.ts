/**
 * Layout (c): `nodes` servers of `gpusPerNode` GPUs. Inside a server every ordered pair of GPUs has its
 * own fast link (NVLink-class bandwidth and latency), so intra-node traffic never leaves the server;
 * between servers each GPU has its own NIC into one non-blocking switch (a rail-optimised fabric seen
 * from above). Device d is GPU d % gpusPerNode of node ⌊d / gpusPerNode⌋.
 *
 * Link ids: NIC links first (as in the switch layout), then each node's intra-node links. Only real
 * pairs get an id (g(g−1) per node in full duplex, g(g−1)/2 in half duplex), so link statistics have
 * no dead entries.
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

export interface HierarchicalSpec {
  readonly nodes: number;
  readonly gpusPerNode: number;
  readonly intraNode: LinkClass;
  readonly interNode: LinkClass;
  readonly duplex?: Duplex;
}

export class HierarchicalPlatform implements Platform {
  readonly deviceCount: number;
  readonly linkCount: number;
  readonly linkCapacity: Float64Array;
  readonly linkLatency: Float64Array;
  private readonly duplex: Duplex;
  private readonly gpusPerNode: number;
  private readonly intraBase: number;
  private readonly intraPerNode: number;
  private readonly oneHop = new Int32Array(1);
  private readonly twoHops = new Int32Array(2);

  constructor(spec: HierarchicalSpec, path: string) {
    const duplex = spec.duplex ?? "full";
    checkCount(spec.nodes, `${path}.nodes`, "number of nodes");
    checkCount(spec.gpusPerNode, `${path}.gpusPerNode`, "GPUs per node");
    checkLinkClass(spec.intraNode, `${path}.intraNode`);
    checkLinkClass(spec.interNode, `${path}.interNode`);
    checkDuplex(duplex, path);
    const g = spec.gpusPerNode;
    this.duplex = duplex;
    this.gpusPerNode = g;
    this.deviceCount = spec.nodes * g;
    this.intraBase = nicLinkCount(this.deviceCount, duplex);
    this.intraPerNode = duplex === "full" ? g * (g - 1) : (g * (g - 1)) / 2;
    this.linkCount = this.intraBase + spec.nodes * this.intraPerNode;
    this.linkCapacity = new Float64Array(this.linkCount);
    this.linkLatency = new Float64Array(this.linkCount);
    fillLinks(this.linkCapacity, this.linkLatency, 0, this.intraBase, spec.interNode);
    fillLinks(this.linkCapacity, this.linkLatency, this.intraBase, this.linkCount, spec.intraNode);
  }

  route(src: number, dst: number): Int32Array {
    const g = this.gpusPerNode;
    const node = Math.floor(src / g);
    if (node === Math.floor(dst / g)) {
      this.oneHop[0] = this.intraLink(node, src - node * g, dst - node * g);
      return this.oneHop;
    }
    this.twoHops[0] = uplinkOf(0, src, this.duplex);
    this.twoHops[1] = downlinkOf(0, dst, this.duplex);
    return this.twoHops;
  }

  describeLink(link: number): string {
    if (link < this.intraBase) return describeNicLink(0, link, this.duplex);
    const offset = link - this.intraBase;
    const node = Math.floor(offset / this.intraPerNode);
    const within = offset - node * this.intraPerNode;
    const g = this.gpusPerNode;
    for (let i = 0; i < g; i++) {
      for (let j = 0; j < g; j++) {
        if (i !== j && this.intraLink(node, i, j) === link) {
          return this.duplex === "full"
            ? `intra-node link ${i}→${j} of node ${node}`
            : `intra-node link ${i}↔${j} of node ${node}`;
        }
      }
    }
    return `intra-node link #${within} of node ${node}`;
  }

  /** Link from local GPU i to local GPU j (i ≠ j) of `node`. */
  private intraLink(node: number, i: number, j: number): number {
    const g = this.gpusPerNode;
    const base = this.intraBase + node * this.intraPerNode;
    if (this.duplex === "full") return base + i * (g - 1) + (j < i ? j : j - 1);
    const a = Math.min(i, j);
    const b = Math.max(i, j);
    // Row-major index of (a, b) in the strict upper triangle.
    return base + (a * (2 * g - a - 1)) / 2 + (b - a - 1);
  }
}
