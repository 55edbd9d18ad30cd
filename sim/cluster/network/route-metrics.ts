/**
 * The two numbers of a route that the α-β model and the closed forms use: total latency (sum over its
 * links) and bottleneck bandwidth (minimum capacity over its links).
 */
import type { Platform } from "./platform.ts";

export function routeLatency(platform: Platform, route: ArrayLike<number>): number {
  let latency = 0;
  for (let i = 0; i < route.length; i++) latency += platform.linkLatency[route[i]!]!;
  return latency;
}

export function routeBottleneck(platform: Platform, route: ArrayLike<number>): number {
  let bandwidth = Number.POSITIVE_INFINITY;
  for (let i = 0; i < route.length; i++) {
    const capacity = platform.linkCapacity[route[i]!]!;
    if (capacity < bandwidth) bandwidth = capacity;
  }
  return bandwidth;
}
