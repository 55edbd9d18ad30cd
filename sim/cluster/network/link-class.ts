/**
 * A class of identical links (all NICs, all NVLinks, all cables of a graph), given by the caller as a
 * bandwidth and a latency, and the checks that turn a bad value into an `InputError` naming the field.
 */
import { InputError } from "../../errors.ts";

export interface LinkClass {
  /** Bytes per second, > 0. */
  readonly bandwidth: number;
  /** Seconds, ≥ 0. */
  readonly latency: number;
}

/** "full": each direction has its own capacity; "half": both directions share one. */
export type Duplex = "full" | "half";

export function checkLinkClass(link: LinkClass, path: string): void {
  if (!(Number.isFinite(link.bandwidth) && link.bandwidth > 0)) {
    throw new InputError(`${path}.bandwidth`, link.bandwidth, "a positive finite number of bytes per second");
  }
  if (!(Number.isFinite(link.latency) && link.latency >= 0)) {
    throw new InputError(`${path}.latency`, link.latency, "a non-negative finite number of seconds");
  }
}

export function checkDuplex(duplex: Duplex, path: string): void {
  if (duplex !== "full" && duplex !== "half")
    throw new InputError(`${path}.duplex`, duplex, '"full" or "half"');
}

export function checkCount(value: number, path: string, what: string): void {
  if (!(Number.isSafeInteger(value) && value >= 1))
    throw new InputError(path, value, `a positive integer (${what})`);
}

/** Sets links [from, to) to the capacity and latency of `link`. */
export function fillLinks(
  capacity: Float64Array,
  latency: Float64Array,
  from: number,
  to: number,
  link: LinkClass,
): void {
  capacity.fill(link.bandwidth, from, to);
  latency.fill(link.latency, from, to);
}
