/**
 * The physical platform under the network models: directed links, each with a capacity (bytes/s) and a
 * latency (s), and a route (a list of link ids) for every ordered pair of devices. The models only see
 * this interface, so a new physical layout is a new `Platform`, not a change to either model.
 *
 * A "link" is a shared resource: in full duplex each direction of a cable is its own link; in half
 * duplex both directions map to the same link id, so traffic both ways shares one capacity.
 *
 * The interface only: the layouts implement it and build-platform.ts picks one, so that no layout
 * imports the file that imports it.
 */
export interface Platform {
  readonly deviceCount: number;
  readonly linkCount: number;
  /** Capacity of each link id, bytes per second. */
  readonly linkCapacity: Float64Array;
  /** Propagation latency of each link id, seconds. A route's latency is the sum over its links. */
  readonly linkLatency: Float64Array;
  /**
   * Link ids from `src` to `dst` (valid, distinct devices). The array may be a shared scratch buffer
   * or a cached route: read it before the next call and never modify it.
   */
  route(src: number, dst: number): Int32Array;
  /** A readable name for a link id ("uplink of device 3"), for reports and error messages. */
  describeLink(link: number): string;
}
