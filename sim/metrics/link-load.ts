/**
 * Bytes carried by each link, binned on a regular grid of simulated time, for utilisation counters in
 * traces. The caller spreads each completed transfer's bytes evenly over the time they moved (after
 * the route's latency, until the last byte arrived) on every link of its route: exact for the α-β
 * model (one constant rate), the transfer's average rate for the flow model (whose max-min rates
 * change as other flows come and go, so a bin can read a little above capacity there). Cancelled
 * transfers, and transfers still in flight when the run stops, carry nothing — as in `linkBytes`.
 *
 * The grid adapts to a run of unknown length: it starts fine (the first transfer lands in the first
 * half) and doubles its bin width, merging bins pairwise, whenever a transfer ends past its last bin.
 * Memory is fixed: `bins` per link (links × bins ≤ a cell budget); the grid ends with between bins/2
 * and bins bins in use, whatever the run's length.
 */
export class LinkLoad {
  /** Bins per link (even). */
  readonly bins: number;
  /** Bin width, simulated seconds; NaN until the first transfer. */
  width = Number.NaN;
  /** Bytes in bin k of link l at [l·bins + k]. */
  private readonly data: Float64Array;
  private readonly used: Uint8Array;
  private readonly usedLinks: number[] = [];

  constructor(linkCount: number, bins: number) {
    this.bins = Math.max(2, 2 * Math.floor(bins / 2));
    this.data = new Float64Array(linkCount * this.bins);
    this.used = new Uint8Array(linkCount);
  }

  /** Records `bytes` carried evenly over [start, end] by every link of `route`. */
  add(route: ArrayLike<number>, start: number, end: number, bytes: number): void {
    if (!(bytes > 0)) return;
    if (Number.isNaN(this.width)) this.width = niceCeil((2 * Math.max(end, 1e-12)) / this.bins);
    this.cover(end);
    for (let i = 0; i < route.length; i++) {
      const link = route[i]!;
      if (this.used[link] === 0) {
        this.used[link] = 1;
        this.usedLinks.push(link);
      }
      this.spread(link * this.bins, start, end, bytes);
    }
  }

  /** Widens the bins until `time` falls strictly inside the grid. */
  cover(time: number): void {
    while (time >= this.bins * this.width) this.coarsen();
  }

  /** Link ids that carried bytes, ascending. */
  links(): number[] {
    return [...this.usedLinks].sort((a, b) => a - b);
  }

  /** Bytes of `link` per bin (a copy of its `bins` values). */
  binsOf(link: number): Float64Array {
    return this.data.slice(link * this.bins, (link + 1) * this.bins);
  }

  private spread(base: number, start: number, end: number, bytes: number): void {
    const { data, width } = this;
    const lastBin = this.bins - 1;
    if (!(end > start)) {
      data[base + Math.min(lastBin, Math.floor(start / width))]! += bytes;
      return;
    }
    const rate = bytes / (end - start);
    const first = Math.min(lastBin, Math.floor(start / width));
    const last = Math.min(lastBin, Math.floor(end / width));
    if (first === last) {
      data[base + first]! += bytes;
      return;
    }
    for (let k = first; k <= last; k++) {
      const lo = Math.max(start, k * width);
      const hi = k === last ? end : Math.min(end, (k + 1) * width);
      if (hi > lo) data[base + k]! += rate * (hi - lo);
    }
  }

  /** Doubles the bin width: bin k takes the bytes of old bins 2k and 2k + 1. */
  private coarsen(): void {
    const { data, bins } = this;
    const half = bins / 2;
    for (const link of this.usedLinks) {
      const base = link * bins;
      for (let k = 0; k < half; k++) data[base + k] = data[base + 2 * k]! + data[base + 2 * k + 1]!;
      data.fill(0, base + half, base + bins);
    }
    this.width *= 2;
  }
}

/** The smallest of 1, 2, 5 × 10^k that is ≥ x (x > 0). */
export function niceCeil(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 5, 10]) if (step * power >= x) return step * power;
  return 10 * power;
}
